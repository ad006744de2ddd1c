"""What the student's dashboard says about lessons that will not happen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.bookings.selectors import student_lessons
from petittalk.bookings.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db


def test_the_teachers_decline_reason_shows_beside_the_declined_lesson(client):
    student = StudentFactory()
    BookingFactory(
        student=student,
        status=BookingStatus.DECLINED,
        decline_reason="I am away that week, sorry!",
    )
    client.force_login(student)

    page = client.get("/dashboard/student/").text

    cancelled = page.split('id="cancelled-heading"', 1)[1]
    assert "Declined" in cancelled
    assert "I am away that week, sorry!" in cancelled


def test_cancelled_lessons_are_listed_most_recent_lesson_first_like_past_ones():
    student = StudentFactory()
    now = timezone.now()
    soon, later, latest = (now + dt.timedelta(days=d) for d in (2, 5, 9))
    # Cancelled in an order unrelated to their dates: the list follows the lesson dates.
    for starts_at, status, changed_days_ago in (
        (later, BookingStatus.CANCELLED, 3),
        (soon, BookingStatus.DECLINED, 1),
        (latest, BookingStatus.EXPIRED, 2),
    ):
        booking = BookingFactory(student=student, starts_at=starts_at, status=status)
        Booking.objects.filter(pk=booking.pk).update(
            updated_at=now - dt.timedelta(days=changed_days_ago)
        )

    lessons = student_lessons(student, now=now)

    assert [b.starts_at for b in lessons.cancelled] == [latest, later, soon]
