from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_login_page_offers_the_password_reset_link_once(client):
    page = client.get("/accounts/login/").text

    assert page.count("Forgot your password?") == 1
    assert page.count('href="/accounts/password/reset/"') == 1


def test_the_headers_sign_up_link_keeps_where_the_visitor_was_going(client):
    going_to = "/book/claire/?start=2027-01-04T09:00:00Z&duration=60"

    page = client.get("/accounts/login/", {"next": going_to}).text

    kept = "?next=/book/claire/%3Fstart%3D2027-01-04T09%3A00%3A00Z%26duration%3D60"
    assert f'href="/accounts/signup/{kept}"' in page
    assert f'href="/accounts/login/{kept}"' in page


def test_without_a_destination_the_headers_links_are_plain(client):
    page = client.get("/accounts/login/").text

    assert 'href="/accounts/signup/"' in page and "?next=" not in page
