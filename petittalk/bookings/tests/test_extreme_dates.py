"""Booking or moving a lesson to the year 1 or 9999: a clear message, nothing written, no 500."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
import time_machine

from petittalk.bookings import services
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.bookings.tests.conftest import NOW, at
from petittalk.bookings.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

EXTREMES = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:30:00Z", "0001-01-01T00:00:00Z"]
LESSON = {"duration": "60", "level": "B1", "purpose": "conversation", "message": ""}


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("start", EXTREMES)
def test_booking_an_extreme_date_is_refused_clearly(client, teacher, student, start):
    client.force_login(student)

    response = client.post(f"/book/{teacher.slug}/", {**LESSON, "start": start})

    assert response.status_code == 200
    assert "Choose a time between 2000 and 2100." in response.text
    assert not Booking.objects.exists()


@pytest.mark.parametrize("start", EXTREMES)
def test_a_booking_link_with_an_extreme_date_goes_back_to_the_calendar(
    client, teacher, student, start
):
    client.force_login(student)

    response = client.get(f"/book/{teacher.slug}/?start={quote(start)}&duration=60")

    assert response.status_code == 302
    assert response.url == f"{teacher.get_absolute_url()}#availability"
    assert not Booking.objects.exists()


@pytest.mark.parametrize("start", EXTREMES)
def test_moving_a_lesson_to_an_extreme_date_is_refused_and_keeps_it(
    client, teacher, student, start
):
    booking = BookingFactory(
        teacher=teacher, student=student, starts_at=at(10, 9), status=BookingStatus.CONFIRMED
    )
    client.force_login(student)

    url = f"/dashboard/lessons/{booking.pk}/reschedule/"
    confirmation = client.get(url, {"start": start})
    response = client.post(url, {"start": start, "current": booking.starts_at.isoformat()})

    for answer in (confirmation, response):
        assert answer.status_code == 400
        assert "Choose a new time from the calendar." in answer.text
    booking.refresh_from_db()
    assert booking.starts_at == at(10, 9)


@pytest.mark.parametrize(
    "starts_at",
    [
        dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.UTC),
        dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    ],
)
def test_the_hold_service_itself_refuses_an_extreme_date(teacher, student, starts_at):
    with pytest.raises(services.BookingError, match="between 2000 and 2100"):
        services.booking_hold(
            student=student,
            teacher=teacher,
            starts_at=starts_at,
            duration_minutes=60,
            level="B1",
            purpose="conversation",
        )
    assert not Booking.objects.exists()


def test_the_reschedule_service_itself_refuses_an_extreme_date(teacher, student):
    booking = BookingFactory(
        teacher=teacher, student=student, starts_at=at(10, 9), status=BookingStatus.CONFIRMED
    )

    with pytest.raises(services.BookingError, match="between 2000 and 2100"):
        services.booking_reschedule(
            booking=booking,
            by=student,
            new_starts_at=dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.UTC),
        )
    booking.refresh_from_db()
    assert booking.starts_at == at(10, 9)
