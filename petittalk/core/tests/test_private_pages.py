"""Pages made for a logged-in person are never kept by a shared (proxy or CDN) cache."""

from __future__ import annotations

import pytest

from petittalk.accounts.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_a_logged_in_page_says_cache_control_private(client):
    client.force_login(StudentFactory())

    response = client.get("/dashboard/student/")

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_the_home_page_seen_logged_in_is_private_too(client):
    client.force_login(StudentFactory())

    assert "private" in client.get("/")["Cache-Control"]


def test_a_stricter_no_store_is_kept_for_a_logged_in_person(client):
    client.force_login(StudentFactory())

    cache_control = client.get("/healthz")["Cache-Control"]

    assert "no-store" in cache_control and "max-age=0" in cache_control


def test_an_anonymous_page_is_not_marked_private(client):
    assert "private" not in client.get("/").get("Cache-Control", "")
