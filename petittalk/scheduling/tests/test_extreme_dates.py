"""Time off reaching the year 9999: refused clearly by the form and the service; an old row
that already reaches it still lets the page render."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from petittalk.scheduling import services
from petittalk.scheduling.models import TimeOff
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("petittalk.scheduling.tests.urls_for_tests"),
]


@pytest.fixture
def teacher():
    return TeacherProfileFactory()  # Europe/Paris


@pytest.mark.parametrize(
    ("first_day", "last_day"),
    [("2026-12-31", "9999-12-31"), ("0001-01-01", "0001-01-02"), ("9999-12-31", "9999-12-31")],
)
def test_time_off_reaching_an_extreme_date_is_refused_and_writes_nothing(
    client, teacher, first_day, last_day
):
    client.force_login(teacher.user)

    response = client.post(
        reverse("scheduling:time_off_add"),
        {"first_day": first_day, "last_day": last_day, "note": ""},
    )

    assert response.status_code == 200
    assert "Choose a date between 2000 and 2100." in response.text
    assert not TimeOff.objects.exists()


def test_the_time_off_service_itself_refuses_the_year_9999(teacher):
    with pytest.raises(services.ScheduleError, match="between 2000 and 2100"):
        services.time_off_add(
            teacher=teacher, first_day=dt.date(9999, 12, 1), last_day=dt.date(9999, 12, 31)
        )
    assert not TimeOff.objects.exists()


def test_the_page_still_shows_time_off_already_stored_up_to_the_year_9999(client, teacher):
    TimeOff.objects.create(
        teacher=teacher,
        starts_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.UTC),
    )
    client.force_login(teacher.user)

    response = client.get(reverse("scheduling:availability"))

    assert response.status_code == 200
    assert "9999" in response.text
