"""Finished lessons complete one by one through `booking_complete`, which invites the student to
review the lesson exactly once."""

from __future__ import annotations

import pytest
import time_machine

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings import services
from petittalk.bookings.models import BookingStatus, SentNotification
from petittalk.bookings.tests.conftest import at
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.core import versions

pytestmark = pytest.mark.django_db


def finished_lesson(teacher, hour=9):
    return BookingFactory(
        teacher=teacher,
        student=StudentFactory(),
        status=BookingStatus.CONFIRMED,
        starts_at=at(3, hour),
    )


def test_completing_a_finished_lesson_records_when_and_invites_a_review_once(
    teacher, mailoutbox, django_capture_on_commit_callbacks
):
    lesson = finished_lesson(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_complete(booking=lesson, now=at(3, 10, 5))
        services.booking_complete(booking=lesson, now=at(3, 10, 6))

    lesson.refresh_from_db()
    assert lesson.status == BookingStatus.COMPLETED and lesson.completed_at == at(3, 10, 5)
    assert SentNotification.objects.filter(booking=lesson, kind="review_invitation").count() == 1
    assert [m.to for m in mailoutbox] == [[lesson.student.email]]
    assert "review" in mailoutbox[0].subject.lower()
    assert f"/reviews/lessons/{lesson.pk}/" in mailoutbox[0].body


def test_a_lesson_not_yet_over_or_not_confirmed_is_left_alone(teacher, mailoutbox):
    running = finished_lesson(teacher)
    cancelled = BookingFactory(teacher=teacher, status=BookingStatus.CANCELLED, starts_at=at(3, 7))
    with pytest.raises(services.BookingError):
        services.booking_complete(booking=running, now=at(3, 9, 30))
    with pytest.raises(services.BookingError):
        services.booking_complete(booking=cancelled, now=at(3, 10))
    running.refresh_from_db()
    assert running.status == BookingStatus.CONFIRMED
    assert not SentNotification.objects.exists()


def test_the_periodic_job_completes_each_finished_lesson_and_invites_each_student(
    teacher, mailoutbox, django_capture_on_commit_callbacks
):
    lessons = [finished_lesson(teacher, hour) for hour in (6, 7, 8)]
    later = BookingFactory(teacher=teacher, status=BookingStatus.CONFIRMED, starts_at=at(5, 9))
    before = versions.read([versions.teacher_scope(teacher.pk)])

    with time_machine.travel(at(3, 10, 1)), django_capture_on_commit_callbacks(execute=True):
        done = services.scheduling_tick()
        again = services.scheduling_tick()

    assert done["lessons_completed"] == 3 and again["lessons_completed"] == 0
    for lesson in lessons:
        lesson.refresh_from_db()
        assert lesson.status == BookingStatus.COMPLETED
    later.refresh_from_db()
    assert later.status == BookingStatus.CONFIRMED
    assert sorted(m.to[0] for m in mailoutbox) == sorted(x.student.email for x in lessons)
    # Each save went through the model, so the teacher's calendar version moved.
    assert versions.read([versions.teacher_scope(teacher.pk)]) > before
