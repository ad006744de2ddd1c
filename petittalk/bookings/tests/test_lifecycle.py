"""Every booking transition, allowed and forbidden, with time moved by hand or by time-machine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.bookings import services
from petittalk.bookings.models import Booking, BookingStatus, RefundIntent, SentNotification
from petittalk.bookings.tests.conftest import NOW, at
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.scheduling.models import TimeOff
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


def hold(student, teacher, starts_at, minutes=60, now=NOW, **extra):
    return services.booking_hold(
        student=student,
        teacher=teacher,
        starts_at=starts_at,
        duration_minutes=minutes,
        level="B1",
        purpose="conversation",
        now=now,
        **extra,
    )


def paid(student, teacher, starts_at, minutes=60, now=NOW):
    return services.booking_mark_paid(
        booking=hold(student, teacher, starts_at, minutes, now), now=now
    )


# --- holding ---------------------------------------------------------------------------------


def test_holding_a_free_slot_blocks_it_for_15_minutes_at_the_teachers_price(teacher, student):
    booking = hold(student, teacher, at(3, 9))  # 10:00 in Paris

    assert booking.status == BookingStatus.HELD
    assert booking.hold_expires_at == NOW + dt.timedelta(minutes=15)
    assert booking.price == teacher.price_60 and booking.ends_at == at(3, 10)


@pytest.mark.parametrize(
    ("starts_at", "minutes", "message"),
    [
        (at(1, 7), 60, "in the past"),
        (at(1, 15), 60, "12 hours' notice"),
        (NOW + dt.timedelta(days=61), 60, "at most 60 days ahead"),
        (at(3, 5), 60, "not in Claire's availability"),  # 06:00 in Paris
        (at(3, 18, 30), 60, "not in Claire's availability"),  # would end 20:30 Paris
        (at(3, 9, 10), 60, "not in Claire's availability"),  # off the 30-minute grid
        (at(3, 9), 45, "offers lessons of 30 minutes or 60 minutes"),
    ],
)
def test_bad_times_are_refused_with_a_reason_and_write_nothing(
    teacher, student, starts_at, minutes, message
):
    with pytest.raises(services.BookingError, match=message):
        hold(student, teacher, starts_at, minutes)
    assert not Booking.objects.exists()


def test_a_duration_the_teacher_does_not_offer_is_refused(teacher, student):
    teacher.offers_30 = False
    teacher.save()
    with pytest.raises(services.BookingError, match="offers lessons of 60 minutes"):
        hold(student, teacher, at(3, 9), 30)


def test_an_unpublished_teacher_cannot_be_booked(teacher, student):
    teacher.is_published = False
    teacher.save()
    with pytest.raises(services.BookingError, match="not taking bookings"):
        hold(student, teacher, at(3, 9))


def test_teachers_and_staff_cannot_book(teacher):
    with pytest.raises(services.BookingError, match="Only students"):
        hold(StaffFactory(), teacher, at(3, 9))


def test_time_off_is_not_bookable(teacher, student):
    TimeOff.objects.create(teacher=teacher, starts_at=at(3, 0), ends_at=at(4, 0))
    with pytest.raises(services.BookingError, match="availability"):
        hold(student, teacher, at(3, 9))


def test_an_overlapping_time_is_just_taken(teacher, student):
    hold(StudentFactory(), teacher, at(3, 9))
    with pytest.raises(services.SlotTaken, match="just taken"):
        hold(student, teacher, at(3, 9, 30), 30)
    assert Booking.objects.count() == 1


def test_the_buffer_keeps_lessons_apart(teacher, student):
    teacher.buffer_minutes = 15
    teacher.save()
    hold(StudentFactory(), teacher, at(3, 9))  # until 10:00 UTC
    with pytest.raises(services.SlotTaken):
        hold(student, teacher, at(3, 10))
    assert hold(student, teacher, at(3, 10, 30)).status == BookingStatus.HELD


def test_a_student_cannot_be_in_two_lessons_at_once(teacher, student):
    other_teacher = TeacherProfileFactory()
    other_teacher.availability_rules.create(weekday=3, start_minute=0, end_minute=1440)
    hold(student, teacher, at(3, 9))
    with pytest.raises(services.SlotTaken, match="already have a lesson"):
        hold(student, other_teacher, at(3, 9, 30), 30)


def test_a_lapsed_hold_no_longer_blocks_and_is_marked_expired(teacher, student):
    lapsed = hold(StudentFactory(), teacher, at(3, 9))
    later = NOW + dt.timedelta(minutes=16)

    booking = hold(student, teacher, at(3, 9), now=later)

    lapsed.refresh_from_db()
    assert lapsed.status == BookingStatus.EXPIRED
    assert booking.status == BookingStatus.HELD


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints")
def test_the_database_itself_refuses_overlapping_blocking_bookings(teacher, student):
    BookingFactory(teacher=teacher, starts_at=at(3, 9), status=BookingStatus.CONFIRMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(teacher=teacher, starts_at=at(3, 9, 30), status=BookingStatus.REQUESTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(student=student, starts_at=at(5, 9))
        BookingFactory(student=student, starts_at=at(5, 9, 30))
    # Non-blocking states may overlap freely.
    BookingFactory(teacher=teacher, starts_at=at(3, 9), status=BookingStatus.CANCELLED)


# --- paying, answering -------------------------------------------------------------------------


def test_payment_turns_a_hold_into_a_request_and_tells_the_teacher(
    teacher, student, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = paid(student, teacher, at(3, 9))

    assert booking.status == BookingStatus.REQUESTED and booking.requested_at == NOW
    # The teacher is asked; the student gets the tentative event.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([teacher.user.email, student.email])


def test_instant_booking_confirms_on_payment_with_a_meeting_link(
    teacher, student, mailoutbox, django_capture_on_commit_callbacks
):
    teacher.instant_booking = True
    teacher.save()
    with django_capture_on_commit_callbacks(execute=True):
        booking = paid(student, teacher, at(3, 9))

    assert booking.status == BookingStatus.CONFIRMED
    assert booking.meeting_url.startswith("https://meet.jit.si/PetitTalk-")
    assert len(booking.meeting_url) > 40  # unguessable
    assert {m.to[0] for m in mailoutbox} == {teacher.user.email, student.email}


def test_the_teacher_accepts_a_request(
    teacher, student, django_capture_on_commit_callbacks, mailoutbox
):
    booking = paid(student, teacher, at(3, 9))
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_accept(booking=booking, by=teacher.user, now=NOW)

    assert booking.status == BookingStatus.CONFIRMED and booking.meeting_url
    ics = [a for m in mailoutbox for a in m.attachments]
    assert ics, "the confirmation carries the lesson as a calendar file"


def test_a_held_booking_cannot_be_accepted(teacher, student):
    booking = hold(student, teacher, at(3, 9))
    with pytest.raises(services.BookingError, match="waiting for your answer"):
        services.booking_accept(booking=booking, by=teacher.user, now=NOW)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.HELD


def test_another_teacher_cannot_answer(teacher, student):
    booking = paid(student, teacher, at(3, 9))
    intruder = TeacherProfileFactory().user
    with pytest.raises(services.BookingError):
        services.booking_accept(booking=booking, by=intruder, now=NOW)
    with pytest.raises(services.BookingError):
        services.booking_decline(booking=booking, by=intruder, now=NOW)


def test_declining_refunds_in_full_and_frees_the_slot(teacher, student):
    booking = paid(student, teacher, at(3, 9))

    services.booking_decline(booking=booking, by=teacher.user, reason="Away", now=NOW)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED and booking.decline_reason == "Away"
    assert RefundIntent.objects.get(booking=booking).amount == booking.price
    assert hold(StudentFactory(), teacher, at(3, 9)).status == BookingStatus.HELD


def test_answering_twice_refunds_once(teacher, student):
    booking = paid(student, teacher, at(3, 9))
    services.booking_decline(booking=booking, by=teacher.user, now=NOW)
    with pytest.raises(services.BookingError):
        services.booking_decline(booking=booking, by=teacher.user, now=NOW)
    assert RefundIntent.objects.count() == 1


# --- cancelling --------------------------------------------------------------------------------


def confirmed(teacher, student, starts_at):
    booking = paid(student, teacher, starts_at)
    return services.booking_accept(booking=booking, by=teacher.user, now=NOW)


def test_student_cancelling_24h_ahead_is_refunded_in_full(teacher, student):
    booking = confirmed(teacher, student, at(3, 9))
    terms = services.booking_cancellation_terms(booking, by=student, now=NOW)
    assert terms.allowed and terms.refunded

    services.booking_cancel(booking=booking, by=student, now=NOW)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_by == student
    assert RefundIntent.objects.get(booking=booking).amount == Decimal("22.00")


def test_student_cancelling_inside_24h_gets_no_refund(teacher, student):
    booking = confirmed(teacher, student, at(3, 9))
    late = at(2, 10)  # 23 hours before

    assert not services.booking_cancellation_terms(booking, by=student, now=late).refunded
    services.booking_cancel(booking=booking, by=student, now=late)

    assert not RefundIntent.objects.exists()


def test_teacher_or_staff_cancelling_always_refunds_in_full(teacher, student):
    first = confirmed(teacher, student, at(3, 9))
    second = confirmed(teacher, student, at(3, 12))
    late = at(3, 8)

    services.booking_cancel(booking=first, by=teacher.user, now=late)
    services.booking_cancel(booking=second, by=StaffFactory(), now=late)

    assert RefundIntent.objects.filter(amount=first.price).count() == 2


def test_nobody_cancels_someone_elses_lesson_or_a_started_one(teacher, student):
    booking = confirmed(teacher, student, at(3, 9))
    with pytest.raises(services.BookingError, match="not your lesson"):
        services.booking_cancel(booking=booking, by=StudentFactory(), now=NOW)
    with pytest.raises(services.BookingError, match="already started"):
        services.booking_cancel(booking=booking, by=student, now=at(3, 9, 5))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


# --- rescheduling ------------------------------------------------------------------------------


def test_rescheduling_moves_the_lesson_and_tells_the_teacher(
    teacher, student, mailoutbox, django_capture_on_commit_callbacks
):
    booking = confirmed(teacher, student, at(3, 9))
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.booking_reschedule(
            booking=booking, by=student, new_starts_at=at(4, 14), now=NOW
        )

    assert (moved.starts_at, moved.ends_at) == (at(4, 14), at(4, 15))
    assert moved.rescheduled_from == at(3, 9) and moved.status == BookingStatus.CONFIRMED
    assert teacher.user.email in {m.to[0] for m in mailoutbox}
    assert hold(StudentFactory(), teacher, at(3, 9)).status == BookingStatus.HELD


def test_rescheduling_to_an_overlapping_time_of_its_own_is_allowed(teacher, student):
    booking = confirmed(teacher, student, at(3, 9))
    moved = services.booking_reschedule(
        booking=booking, by=student, new_starts_at=at(3, 9, 30), now=NOW
    )
    assert moved.starts_at == at(3, 9, 30)


def test_rescheduling_inside_24h_or_onto_a_taken_time_is_refused(teacher, student):
    booking = confirmed(teacher, student, at(3, 9))
    hold(StudentFactory(), teacher, at(4, 14))

    with pytest.raises(services.SlotTaken):
        services.booking_reschedule(booking=booking, by=student, new_starts_at=at(4, 14), now=NOW)
    with pytest.raises(services.BookingError, match="24 hours"):
        services.booking_reschedule(
            booking=booking, by=student, new_starts_at=at(5, 9), now=at(2, 10)
        )
    with pytest.raises(services.BookingError, match="not your lesson"):
        services.booking_reschedule(
            booking=booking, by=StudentFactory(), new_starts_at=at(5, 9), now=NOW
        )
    booking.refresh_from_db()
    assert booking.starts_at == at(3, 9)


# --- time moves on -------------------------------------------------------------------------------


def test_an_unanswered_request_expires_after_48_hours_and_is_refunded(
    teacher, student, mailoutbox, django_capture_on_commit_callbacks
):
    booking = paid(student, teacher, at(8, 9))

    assert services.bookings_expire_unanswered(now=NOW + dt.timedelta(hours=47)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.bookings_expire_unanswered(now=NOW + dt.timedelta(hours=48)) == 1

    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    assert RefundIntent.objects.get(booking=booking).reason == "not answered"
    assert student.email in {m.to[0] for m in mailoutbox}


def test_a_request_still_unanswered_when_the_lesson_starts_expires(teacher, student):
    booking = paid(student, teacher, at(2, 9))  # 25 hours ahead
    services.bookings_expire_unanswered(now=at(2, 9))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED


def test_lapsed_holds_expire_and_finished_lessons_complete(teacher, student):
    held = hold(student, teacher, at(5, 9))
    lesson = confirmed(teacher, StudentFactory(), at(3, 9))

    with time_machine.travel(at(3, 10, 1)):
        done = services.scheduling_tick()

    held.refresh_from_db()
    lesson.refresh_from_db()
    assert held.status == BookingStatus.EXPIRED and lesson.status == BookingStatus.COMPLETED
    assert done["holds_expired"] == 1 and done["lessons_completed"] == 1


def test_reminders_go_24h_and_1h_before_and_never_twice(
    teacher, student, mailoutbox, django_capture_on_commit_callbacks
):
    booking = confirmed(teacher, student, at(5, 9))
    mailoutbox.clear()

    with time_machine.travel(at(4, 9, 30)), django_capture_on_commit_callbacks(execute=True):
        services.scheduling_tick()
        services.scheduling_tick()
    assert SentNotification.objects.filter(booking=booking, kind="reminder_24h").count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([student.email, teacher.user.email])

    with time_machine.travel(at(5, 8, 5)), django_capture_on_commit_callbacks(execute=True):
        services.scheduling_tick()
        services.scheduling_tick()
    assert set(booking.notifications.values_list("kind", flat=True)) == {
        "reminder_24h",
        "reminder_1h",
    }
    assert len(mailoutbox) == 4


def test_a_cancelled_lesson_gets_no_reminder(teacher, student, mailoutbox):
    booking = confirmed(teacher, student, at(5, 9))
    services.booking_cancel(booking=booking, by=student, now=NOW)
    with time_machine.travel(at(5, 8, 30)):
        services.scheduling_tick()
    assert not SentNotification.objects.exists()


def test_the_student_can_drop_a_hold_and_the_slot_reopens(teacher, student):
    booking = hold(student, teacher, at(3, 9))
    services.booking_release_hold(booking=booking, by=student, now=NOW)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    with pytest.raises(services.BookingError):
        services.booking_release_hold(booking=booking, by=student, now=NOW)
