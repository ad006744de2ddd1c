"""Looking at a page never changes the database: profiles and calendar links are made on a POST."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petittalk.accounts.models import Role, StudentProfile
from petittalk.accounts.tests.factories import StaffFactory, StudentFactory, UserFactory
from petittalk.bookings.models import CalendarFeed
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_during_get(client, url: str) -> list[str]:
    """The SQL writes a GET of `url` makes (the session table aside: logging in is not the page;
    the cache table too: storing the rendered page for its owner changes no data)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(WRITES)
        and "django_session" not in q["sql"]
        and "petittalk_cache" not in q["sql"]
    ]


@pytest.mark.parametrize(
    "url", ["/dashboard/student/", "/dashboard/profile/", "/dashboard/settings/"]
)
def test_a_student_looking_at_their_pages_writes_nothing(client, url):
    client.force_login(StudentFactory())

    assert writes_during_get(client, url) == []


@pytest.mark.parametrize(
    "url", ["/dashboard/student/", "/dashboard/profile/", "/dashboard/settings/"]
)
def test_a_student_made_outside_sign_up_without_a_profile_sees_their_pages_and_nothing_is_written(
    client, url
):
    # An account made in the admin or a shell has no profile yet: the page shows an empty one.
    student = UserFactory(role=Role.STUDENT)
    client.force_login(student)

    assert writes_during_get(client, url) == []
    assert not StudentProfile.objects.filter(user=student).exists()


@pytest.mark.parametrize("url", ["/dashboard/teacher/", "/dashboard/settings/"])
def test_a_teacher_looking_at_their_pages_writes_nothing(client, url):
    client.force_login(TeacherProfileFactory().user)

    assert writes_during_get(client, url) == []


def test_staff_looking_at_their_settings_writes_nothing(client):
    client.force_login(StaffFactory())

    assert writes_during_get(client, "/dashboard/settings/") == []


def test_settings_offer_a_button_to_create_the_calendar_link_instead_of_making_one(client):
    student = StudentFactory()
    client.force_login(student)

    page = client.get("/dashboard/settings/").text

    assert "Create my calendar link" in page
    assert ".ics" not in page
    assert not CalendarFeed.objects.filter(user=student).exists()


def test_create_my_calendar_link_makes_the_link_and_settings_show_it(client):
    student = StudentFactory()
    client.force_login(student)

    response = client.post("/dashboard/calendar/create/")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/settings/"
    feed = CalendarFeed.objects.get(user=student)
    page = client.get("/dashboard/settings/").text
    assert f"/calendar/{feed.token}.ics" in page
    assert "Create my calendar link" not in page


def test_pressing_create_my_calendar_link_twice_keeps_the_first_link(client):
    student = StudentFactory()
    client.force_login(student)
    client.post("/dashboard/calendar/create/")
    token = CalendarFeed.objects.get(user=student).token

    client.post("/dashboard/calendar/create/")

    assert list(CalendarFeed.objects.filter(user=student).values_list("token", flat=True)) == [
        token
    ]


def test_create_my_calendar_link_is_not_reachable_by_get(client):
    student = StudentFactory()
    client.force_login(student)

    assert client.get("/dashboard/calendar/create/").status_code == 405
    assert not CalendarFeed.objects.filter(user=student).exists()


def test_saving_the_profile_of_a_student_without_one_creates_it(client):
    student = UserFactory(role=Role.STUDENT)
    client.force_login(student)

    response = client.post(
        "/dashboard/profile/", {"level": "B1", "learning_goals": "Talk with my in-laws"}
    )

    assert response.status_code == 302
    profile = StudentProfile.objects.get(user=student)
    assert (profile.level, profile.learning_goals) == ("B1", "Talk with my in-laws")
