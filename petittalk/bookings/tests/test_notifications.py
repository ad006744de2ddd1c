from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import icalendar
import pytest
import time_machine
import vobject

from petittalk.accounts.tests.factories import StaffFactory
from petittalk.bookings import notifications
from petittalk.bookings.models import BookingStatus, RefundIntent, SentNotification
from petittalk.bookings.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)
# 15:00 UTC in January: 10:00 in New York (EST), 16:00 in Paris (CET).
LESSON_START = dt.datetime(2026, 1, 15, 15, 0, tzinfo=dt.UTC)
STUDENT_TIME = "Thu 15 Jan 2026, 10:00 New York time (EST)"
TEACHER_TIME = "Thu 15 Jan 2026, 16:00 Paris time (CET)"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def booking():
    return BookingFactory(
        starts_at=LESSON_START,
        ends_at=LESSON_START + timedelta(minutes=60),
        student__display_name="Sam Taylor",
        student__email="sam@example.com",
        student__timezone="America/New_York",
        teacher__user__display_name="Claire Dubois",
        teacher__user__email="claire@example.com",
        teacher__user__timezone="Europe/Paris",
        confirmed_at=NOW,
    )


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a notification and let its on-commit queueing (and the immediate task) happen."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            function(**kwargs)

    return run


def mail_to(mailoutbox, address: str):
    [message] = [m for m in mailoutbox if m.to == [address]]
    return message


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def ics_of(message) -> icalendar.Calendar:
    [(filename, content, mimetype)] = message.attachments
    assert filename == "petittalk-lesson.ics"
    assert mimetype.startswith("text/calendar")
    # A second, validating parser: what one library accepts another may refuse.
    vobject.readOne(content).validate(raiseException=True, complainUnrecognized=False)
    return icalendar.Calendar.from_ical(content)


def test_nothing_is_sent_until_the_transaction_commits(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.notify_booking_confirmed(booking=booking)

    assert mailoutbox == []
    assert len(callbacks) == 2


def test_request_asks_the_teacher_to_answer_in_their_own_time_zone(booking, mailoutbox, send):
    booking.status = BookingStatus.REQUESTED
    booking.requested_at = NOW
    booking.message = "J'aimerais parler de voyages."

    send(notifications.notify_booking_requested, booking=booking)

    message = mail_to(mailoutbox, "claire@example.com")
    assert len(mailoutbox) == 2
    assert not message.attachments
    assert "Sam Taylor" in message.subject
    assert TEACHER_TIME in message.subject
    assert TEACHER_TIME in message.body
    assert f"For Sam Taylor: {STUDENT_TIME}" in message.body
    # 48 hours after the request, shown in Paris time.
    assert "Mon 12 Jan 2026, 13:00 Paris time (CET)" in message.body
    assert "http://127.0.0.1:8000/dashboard/teacher/" in message.body
    assert "J'aimerais parler de voyages." in message.body
    assert TEACHER_TIME in html_of(message)


def test_request_gives_the_student_a_tentative_event_and_the_answer_deadline(
    booking, mailoutbox, send
):
    booking.status = BookingStatus.REQUESTED
    booking.requested_at = NOW

    send(notifications.notify_booking_requested, booking=booking)

    message = mail_to(mailoutbox, "sam@example.com")
    assert "Requested: French lesson with Claire Dubois" in message.subject
    assert STUDENT_TIME in message.subject
    assert "Mon 12 Jan 2026, 07:00 New York time (EST)" in message.body
    calendar = ics_of(message)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar.events[0]["STATUS"] == "TENTATIVE"


def test_request_deadline_is_the_lesson_start_when_that_comes_first(booking, mailoutbox, send):
    booking.starts_at = NOW + timedelta(hours=20)
    booking.requested_at = NOW

    send(notifications.notify_booking_requested, booking=booking)

    assert (
        "by Sun 11 Jan 2026, 09:00 Paris time (CET)"
        in mail_to(mailoutbox, "claire@example.com").body
    )


def test_confirmation_goes_to_both_each_in_their_zone_with_a_calendar_file(
    booking, mailoutbox, send
):
    send(notifications.notify_booking_confirmed, booking=booking)

    assert len(mailoutbox) == 2
    to_student = mail_to(mailoutbox, "sam@example.com")
    to_teacher = mail_to(mailoutbox, "claire@example.com")
    assert STUDENT_TIME in to_student.subject
    assert STUDENT_TIME in to_student.body
    assert "10:00" in html_of(to_student)
    assert TEACHER_TIME in to_teacher.body
    assert "16:00" in html_of(to_teacher)
    assert "Claire Dubois" in to_student.body
    for message in (to_student, to_teacher):
        assert booking.meeting_url in message.body
        assert booking.meeting_url in html_of(message)
    [student_event] = ics_of(to_student).events
    [teacher_event] = ics_of(to_teacher).events
    assert student_event.start == teacher_event.start == LESSON_START
    assert student_event["SUMMARY"] == "French lesson with Claire Dubois"
    assert teacher_event["SUMMARY"] == "French lesson with Sam Taylor"


def test_calendar_attachment_is_a_text_calendar_part_in_the_sent_message(booking, mailoutbox, send):
    send(notifications.notify_booking_confirmed, booking=booking)

    mime = mail_to(mailoutbox, "sam@example.com").message()
    [part] = [p for p in mime.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert part.get_param("charset") == "utf-8"
    assert part.get_filename() == "petittalk-lesson.ics"
    assert b"BEGIN:VEVENT" in part.get_payload(decode=True)


def test_decline_tells_the_student_the_reason_and_the_refund(booking, mailoutbox, send):
    booking.status = BookingStatus.DECLINED
    booking.decline_reason = "Je suis en vacances"
    RefundIntent.objects.create(booking=booking, amount=Decimal("22.00"), reason="declined")

    send(notifications.notify_booking_declined, booking=booking)

    message = mail_to(mailoutbox, "sam@example.com")
    assert len(mailoutbox) == 1
    assert STUDENT_TIME in message.subject
    assert "Je suis en vacances" in message.body
    assert "refunded in full" in message.body
    assert "refunded in full" in html_of(message)
    assert "/teachers/" in message.body


def test_expiry_tells_the_student_their_payment_comes_back(booking, mailoutbox, send):
    booking.status = BookingStatus.EXPIRED

    send(notifications.notify_booking_expired, booking=booking)

    message = mail_to(mailoutbox, "sam@example.com")
    assert len(mailoutbox) == 1
    assert STUDENT_TIME in message.body
    assert "didn't answer" in message.body
    assert "refunded in full" in message.body


def test_student_cancelling_tells_the_teacher_and_gives_the_student_the_refund(
    booking, mailoutbox, send
):
    booking.status = BookingStatus.CANCELLED

    send(
        notifications.notify_booking_cancelled,
        booking=booking,
        cancelled_by=booking.student,
        refunded=True,
    )

    to_teacher = mail_to(mailoutbox, "claire@example.com")
    to_student = mail_to(mailoutbox, "sam@example.com")
    assert "Sam Taylor cancelled your lesson." in to_teacher.body
    assert TEACHER_TIME in to_teacher.body
    assert "€22.00" not in to_teacher.body
    assert "You cancelled" in to_student.subject
    assert STUDENT_TIME in to_student.body
    assert "refunded in full" in to_student.body
    assert ics_of(to_teacher).events[0]["STATUS"] == "CANCELLED"


def test_late_student_cancellation_without_refund_cancels_the_lesson_in_both_calendars(
    booking, mailoutbox, send
):
    booking.status = BookingStatus.CANCELLED

    send(
        notifications.notify_booking_cancelled,
        booking=booking,
        cancelled_by=booking.student,
        refunded=False,
    )

    to_student = mail_to(mailoutbox, "sam@example.com")
    to_teacher = mail_to(mailoutbox, "claire@example.com")
    assert len(mailoutbox) == 2
    assert "You cancelled" in to_student.subject
    assert "refunded" not in to_student.body
    for message in (to_student, to_teacher):
        calendar = ics_of(message)
        assert calendar["METHOD"] == "CANCEL"
        assert calendar.events[0]["STATUS"] == "CANCELLED"


def test_teacher_cancelling_tells_the_student_with_the_refund(booking, mailoutbox, send):
    send(
        notifications.notify_booking_cancelled,
        booking=booking,
        cancelled_by=booking.teacher.user,
        refunded=True,
    )

    message = mail_to(mailoutbox, "sam@example.com")
    assert "You cancelled" in mail_to(mailoutbox, "claire@example.com").subject
    assert "Claire Dubois cancelled your lesson." in message.body
    assert "refunded in full" in message.body


def test_staff_cancelling_tells_both(booking, mailoutbox, send):
    send(
        notifications.notify_booking_cancelled,
        booking=booking,
        cancelled_by=StaffFactory(),
        refunded=True,
    )

    to_teacher = mail_to(mailoutbox, "claire@example.com")
    to_student = mail_to(mailoutbox, "sam@example.com")
    assert "The Petit Talk team cancelled your lesson with Sam Taylor." in to_teacher.body
    assert "€22.00" not in to_teacher.body
    assert "refunded in full" in to_student.body


def test_reschedule_tells_the_teacher_old_and_new_time_and_updates_both_calendars(
    booking, mailoutbox, send
):
    booking.starts_at = LESSON_START + timedelta(days=1)
    booking.ends_at = booking.starts_at + timedelta(minutes=60)

    send(
        notifications.notify_booking_rescheduled,
        booking=booking,
        previous_starts_at=LESSON_START,
    )

    to_teacher = mail_to(mailoutbox, "claire@example.com")
    to_student = mail_to(mailoutbox, "sam@example.com")
    assert (
        f"moved from {TEACHER_TIME} to Fri 16 Jan 2026, 16:00 Paris time (CET)" in to_teacher.body
    )
    assert "Fri 16 Jan 2026, 16:00 Paris time (CET)" in to_teacher.body
    assert "Fri 16 Jan 2026, 10:00 New York time (EST)" in to_student.body
    for message in (to_teacher, to_student):
        assert ics_of(message).events[0].start == LESSON_START + timedelta(days=1)


def remind(booking, kind: str, send) -> None:
    send(notifications.send_due_reminder.call, booking_id=booking.pk, kind=kind)


def test_reminder_reaches_both_in_their_zone_with_the_link(booking, mailoutbox, send, frozen_clock):
    frozen_clock.move_to(LESSON_START - timedelta(hours=24))

    remind(booking, "reminder_24h", send)

    to_student = mail_to(mailoutbox, "sam@example.com")
    to_teacher = mail_to(mailoutbox, "claire@example.com")
    assert to_student.subject.endswith("starts tomorrow at 10:00")  # 24 h ahead, in New York
    assert STUDENT_TIME in to_student.body
    assert TEACHER_TIME in to_teacher.body
    assert booking.meeting_url in to_student.body
    assert SentNotification.objects.filter(booking=booking, kind="reminder_24h").exists()


def test_reminder_is_sent_once_even_when_the_task_runs_twice(
    booking, mailoutbox, send, frozen_clock
):
    frozen_clock.move_to(LESSON_START - timedelta(hours=1))

    send(notifications.send_due_reminder.enqueue, booking_id=booking.pk, kind="reminder_1h")
    send(notifications.send_due_reminder.enqueue, booking_id=booking.pk, kind="reminder_1h")

    assert len(mailoutbox) == 2
    assert all("starts in 1 hour" in m.subject for m in mailoutbox)
    assert SentNotification.objects.filter(booking=booking).count() == 1


def test_reminder_is_not_sent_for_a_cancelled_lesson(booking, mailoutbox, send, frozen_clock):
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    frozen_clock.move_to(LESSON_START - timedelta(hours=1))

    remind(booking, "reminder_1h", send)

    assert mailoutbox == []
    assert not SentNotification.objects.exists()


def test_reminder_is_not_sent_once_the_lesson_has_started(booking, mailoutbox, send, frozen_clock):
    frozen_clock.move_to(LESSON_START + timedelta(minutes=5))

    remind(booking, "reminder_1h", send)

    assert mailoutbox == []
    assert not SentNotification.objects.exists()


def test_reminder_for_a_lesson_moved_later_waits_for_its_new_time(
    booking, mailoutbox, send, frozen_clock
):
    frozen_clock.move_to(LESSON_START - timedelta(hours=24))
    booking.starts_at += timedelta(days=3)
    booking.ends_at += timedelta(days=3)
    booking.save(update_fields=["starts_at", "ends_at"])

    remind(booking, "reminder_24h", send)

    assert mailoutbox == []
    assert not SentNotification.objects.exists()
