from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.db import DatabaseError
from django.test import Client

from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.mark.parametrize(
    ("url", "title", "text"),
    [
        ("/", "Online French lessons with native teachers · Petit Talk", "How it works"),
        ("/teachers/", "French teachers · Petit Talk", "Native French teachers"),
        ("/about/", "About us · Petit Talk", "Real French"),
        ("/terms/", "Terms of service · Petit Talk", "Cancellations and refunds"),
        ("/privacy/", "Privacy policy · Petit Talk", "Your rights"),
    ],
)
def test_public_pages_have_their_own_title_description_and_content(client, url, title, text):
    response = client.get(url)
    assert response.status_code == 200
    assert f"<title>{title}</title>" in response.text
    assert '<meta name="description" content="' in response.text
    assert text in response.text


def test_home_shows_featured_published_teachers_only(client):
    TeacherProfileFactory(user__display_name="Visible Vera", is_featured=True)
    TeacherProfileFactory(user__display_name="Hidden Hugo", is_published=False, is_featured=True)

    page = client.get("/").text

    assert "Visible Vera" in page
    assert "Hidden Hugo" not in page


def test_teacher_page_shows_photo_bio_prices_and_its_own_meta(client):
    teacher = TeacherProfileFactory(
        user__display_name="Claire", bio="Parisienne et patiente.", headline="Conversation"
    )
    page = client.get(f"/teachers/{teacher.slug}/").text
    assert "<title>Claire — French teacher · Petit Talk</title>" in page
    assert "Parisienne et patiente." in page
    assert "€12.00" in page and "€22.00" in page


def test_sitemap_lists_public_pages_and_published_teachers_with_the_real_host():
    published = TeacherProfileFactory(slug="anne")
    TeacherProfileFactory(slug="secret-sam", is_published=False)
    client = Client(HTTP_HOST="petittalk.example.org")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    locations = [
        loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", SITEMAP_NS)
    ]
    assert "http://petittalk.example.org/" in locations
    assert "http://petittalk.example.org/teachers/" in locations
    assert f"http://petittalk.example.org/teachers/{published.slug}/" in locations
    assert not any("secret-sam" in loc for loc in locations)
    private = ("/dashboard", "/staff", "/accounts", "/admin", "/invite")
    assert not any(p in loc for loc in locations for p in private)


def test_robots_txt_points_to_the_sitemap_and_keeps_private_areas_out():
    response = Client(HTTP_HOST="petittalk.example.org").get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.text
    assert "Sitemap: http://petittalk.example.org/sitemap.xml" in body
    for private in ("/dashboard/", "/staff/", "/admin/", "/accounts/"):
        assert f"Disallow: {private}" in body


def test_unknown_pages_get_the_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "This page does not exist" in response.text
    assert "Find a teacher" in response.text


def test_the_500_page_renders_without_any_context():
    from petittalk.core.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert b"something went wrong" in response.content


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_says_503_when_the_database_is_down(client, monkeypatch):
    from petittalk.pages import views

    class BrokenConnection:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(views, "connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "default-src 'self'" in policy
    assert "http" not in policy.split("frame-src")[0]  # no third-party script or style host


@pytest.mark.parametrize(
    "path", ["/media/../config/settings.py", "/media/teachers/x.html", "/media/nothing.jpg"]
)
def test_media_serving_refuses_traversal_other_types_and_missing_files(client, path):
    assert client.get(path).status_code == 404


def test_a_post_without_a_csrf_token_gets_the_friendly_403_and_changes_nothing():
    from petittalk.accounts.models import User

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/signup/",
        {
            "email": "x@example.com",
            "display_name": "X",
            "timezone": "UTC",
            "password1": "une-phrase-secrete-42",
            "password2": "une-phrase-secrete-42",
        },
    )
    assert response.status_code == 403
    assert "reload the page" in response.text
    assert not User.objects.filter(email="x@example.com").exists()
