"""Reminders when the periodic job was stopped: each lesson gets at most one per window, the one
that fits the time really left, worded from that time in each person's zone."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
import time_machine

from petittalk.bookings import services
from petittalk.bookings.models import BookingStatus, SentNotification
from petittalk.bookings.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

STOPPED = dt.datetime(2026, 1, 7, 12, 0, tzinfo=dt.UTC)
RESTARTED = STOPPED + timedelta(days=3)  # Sat 10 Jan 12:00 UTC: 07:00 in New York, 13:00 Paris


def lesson(starts_at, **extra):
    return BookingFactory(
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        confirmed_at=STOPPED - timedelta(days=5),
        student__timezone="America/New_York",
        teacher__user__timezone="Europe/Paris",
        **extra,
    )


def tick(at, django_capture_on_commit_callbacks):
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.scheduling_tick()


def sent(booking) -> list[str]:
    return sorted(
        SentNotification.objects.filter(booking=booking, kind__startswith="reminder_").values_list(
            "kind", flat=True
        )
    )


def test_after_three_days_stopped_each_lesson_gets_only_the_reminder_that_fits(
    mailoutbox, django_capture_on_commit_callbacks
):
    tick(STOPPED, django_capture_on_commit_callbacks)  # nothing due yet: all lessons are days away
    soon = lesson(RESTARTED + timedelta(minutes=55))
    tomorrow = lesson(RESTARTED + timedelta(hours=23, minutes=15))  # Sun 11 Jan 11:15 UTC
    later = lesson(RESTARTED + timedelta(hours=30))
    cancelled = lesson(RESTARTED + timedelta(minutes=50), status=BookingStatus.CANCELLED)
    assert mailoutbox == []

    tick(RESTARTED, django_capture_on_commit_callbacks)
    tick(RESTARTED + timedelta(minutes=1), django_capture_on_commit_callbacks)

    assert sent(soon) == ["reminder_1h"]
    assert sent(tomorrow) == ["reminder_24h"]
    assert sent(later) == [] and sent(cancelled) == []
    by_person = {(m.to[0], m.subject) for m in mailoutbox}
    assert len(mailoutbox) == 4
    assert by_person == {
        (
            soon.student.email,
            f"[Petit Talk] Your lesson with {soon.teacher.user.name} starts in 55 minutes",
        ),
        (
            soon.teacher.user.email,
            f"[Petit Talk] Your lesson with {soon.student.name} starts in 55 minutes",
        ),
        # Sun 11 Jan 11:15 UTC is 06:15 in New York and 12:15 in Paris, both "tomorrow" there.
        (
            tomorrow.student.email,
            f"[Petit Talk] Your lesson with {tomorrow.teacher.user.name} starts tomorrow at 06:15",
        ),
        (
            tomorrow.teacher.user.email,
            f"[Petit Talk] Your lesson with {tomorrow.student.name} starts tomorrow at 12:15",
        ),
    }
    assert not any("24 hours" in m.subject or "24 hours" in m.body for m in mailoutbox)

    # The 24 h reminder went out in its own window, so the closer one still follows, once.
    mailoutbox.clear()
    for minutes_before in (58, 57, 20):
        tick(
            tomorrow.starts_at - timedelta(minutes=minutes_before),
            django_capture_on_commit_callbacks,
        )
    assert sent(tomorrow) == ["reminder_1h", "reminder_24h"]
    assert sent(soon) == ["reminder_1h"] and sent(cancelled) == []
    assert sent(later) == ["reminder_24h"]  # now within a day of it, in its own window
    # (`soon` has ended meanwhile: its review invitation is no reminder.)
    people = {tomorrow.student.email, tomorrow.teacher.user.email}
    reminders = [m for m in mailoutbox if m.to[0] in people and "Your lesson" in m.subject]
    assert sorted(m.to[0] for m in reminders) == sorted(people)
    assert all(m.subject.endswith("starts in 58 minutes") for m in reminders)
