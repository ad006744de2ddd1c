"""Odd or hostile requests get a clear 4xx answer, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor() -> Client:
    # A 500 must show up as a status code here, not as an exception in the test.
    return Client(raise_request_exception=False)


def test_an_unknown_host_gets_the_400_page(settings, visitor):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["petittalk.example"]

    response = visitor.get("/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert "We couldn't understand that request." in response.text


def test_an_unknown_host_posting_a_form_gets_the_400_page(settings, visitor):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["petittalk.example"]

    response = visitor.post("/accounts/login/", {"login": "a@b.c"}, HTTP_HOST="attacker.example")

    assert response.status_code == 400


# Every URL that captures free text (a token, an order number, a card reference...) and looks
# it up in PostgreSQL, which refuses a NUL character in a string.
NUL_PATHS_ANONYMOUS = [
    "/calendar/ab%00cd.ics",
    "/invite/ab%00cd/token%00/",
    "/teachers/ab%00cd/",
    "/media/teachers/ab%00cd.jpg",
    "/accounts/password/reset/key/1-ab%00cd/",
    "/accounts/confirm-email/ab%00cd/",
]
NUL_PATHS_STUDENT = [
    "/dashboard/orders/PT-%00/",
    "/checkout/pay/PT-%00/",
    "/checkout/return/PT-%00/",
    "/checkout/card/dummy_pi_%00/",
]
NUL_PATHS_STAFF = [
    "/staff/orders/PT-%00/",
    "/admin/accounts/user/1%00/change/",
    "/admin/orders/order/%00/change/",
]


@pytest.mark.parametrize("path", NUL_PATHS_ANONYMOUS)
def test_a_nul_byte_in_a_public_url_is_404(visitor, path):
    assert visitor.get(path).status_code == 404


@pytest.mark.parametrize("path", NUL_PATHS_STUDENT)
def test_a_nul_byte_in_a_students_url_is_404(visitor, path):
    visitor.force_login(StudentFactory())
    assert visitor.get(path).status_code == 404
    assert visitor.post(path, {}).status_code == 404


@pytest.mark.parametrize("path", NUL_PATHS_STAFF)
def test_a_nul_byte_in_a_staff_url_is_404(visitor, path):
    visitor.force_login(StaffFactory(is_superuser=True))
    assert visitor.get(path).status_code == 404


@pytest.fixture
def video(settings, tmp_path) -> str:
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "teachers").mkdir()
    (tmp_path / "teachers" / "intro.mp4").write_bytes(bytes(1024))
    return "/media/teachers/intro.mp4"


def test_a_range_starting_at_a_5000_digit_byte_is_416(visitor, video):
    response = visitor.get(video, HTTP_RANGE="bytes=" + "9" * 5000 + "-")

    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"


def test_a_range_ending_at_a_5000_digit_byte_runs_to_the_end_of_the_file(visitor, video):
    response = visitor.get(video, HTTP_RANGE="bytes=1000-" + "9" * 5000)

    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 1000-1023/1024"


def test_a_5000_digit_suffix_range_sends_the_whole_file(visitor, video):
    response = visitor.get(video, HTTP_RANGE="bytes=-" + "9" * 5000)

    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 0-1023/1024"


def test_a_10000_character_time_zone_cookie_is_ignored(visitor):
    visitor.cookies["pt_tz"] = "Europe/" + "x" * 10_000

    response = visitor.get("/")

    assert response.status_code == 200
    assert response.wsgi_request.viewer_timezone == "UTC"
