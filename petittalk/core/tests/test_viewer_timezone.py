"""An anonymous visitor's times are shown in the zone their browser put in the `pt_tz` cookie."""

from __future__ import annotations

import pytest

from petittalk.accounts.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def shown_zone(client, cookie: str) -> str:
    client.cookies["pt_tz"] = cookie
    response = client.get("/")
    assert response.status_code == 200
    return response.wsgi_request.viewer_timezone


def test_the_browsers_percent_encoded_zone_is_decoded(client):
    # app.js stores encodeURIComponent(zone): the slash arrives as %2F.
    assert shown_zone(client, "America%2FNew_York") == "America/New_York"


def test_a_plain_zone_name_still_works(client):
    assert shown_zone(client, "Asia/Tokyo") == "Asia/Tokyo"


@pytest.mark.parametrize(
    "cookie",
    [
        "Mars%2FOlympus_Mons",
        "..%2F..%2Fetc%2Fpasswd",
        "Europe%2FParis%00",
        "%E9%ZZ",
        "localtime",
        "x" * 10_000,
        "Europe%2F" + "P" * 10_000,
    ],
    ids=["unknown", "path", "nul", "malformed", "not-a-zone", "10k", "10k-encoded"],
)
def test_an_unknown_malformed_or_huge_zone_is_ignored_and_utc_is_used(client, cookie):
    assert shown_zone(client, cookie) == "UTC"


def test_a_signed_in_users_own_zone_wins_over_the_cookie(client):
    client.force_login(StudentFactory(timezone="Europe/Berlin"))
    assert shown_zone(client, "America%2FNew_York") == "Europe/Berlin"
