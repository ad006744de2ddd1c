"""The booking lifecycle. Every transition is one of these functions (DESIGN.md §4):

held ──paid──▶ requested ──accept──▶ confirmed ──ends──▶ completed
 │   (instant booking: held ──paid──▶ confirmed)
 ├─ hold lapses / removed ─▶ expired
 requested ─ decline / no answer in 48 h or by the start ─▶ declined | expired (refund)
 confirmed ─ cancel ─▶ cancelled (refund by the 24 h policy, or in full when the teacher
                                  or staff cancel)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from petittalk.accounts.models import Level, Role, User
from petittalk.audit.services import audit_log
from petittalk.bookings import notifications
from petittalk.bookings.events import booking_refund_due
from petittalk.bookings.models import (
    ANSWER_WITHIN,
    FREE_CANCELLATION_BEFORE,
    HOLD_MINUTES,
    Booking,
    BookingStatus,
    Purpose,
    RefundIntent,
    SentNotification,
    new_meeting_url,
)
from petittalk.bookings.selectors import blocking_bookings_q, teacher_free_slots
from petittalk.core import versions
from petittalk.core.timefmt import TIME_OUT_OF_RANGE, within_date_range
from petittalk.teachers.models import TeacherProfile


class BookingError(Exception):
    """A booking request or transition that cannot happen; the message is for the user."""


class BookingChanged(BookingError):
    """The lesson moved after the student's page showed it: their choice is stale."""

    def __init__(
        self, message: str = "This lesson was moved since you opened this page: check its time."
    ) -> None:
        super().__init__(message)


class SlotTaken(BookingError):
    """Someone else got that time first (or it overlaps the student's own lesson)."""

    def __init__(self, message: str = "That time was just taken. Please choose another.") -> None:
        super().__init__(message)


# --- creating a booking ------------------------------------------------------------------------


def booking_hold(
    *,
    student: User,
    teacher: TeacherProfile,
    starts_at: dt.datetime,
    duration_minutes: int,
    level: str,
    purpose: str,
    message: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Reserve a free slot for 15 minutes while the student pays.

    The availability check and the insert share one transaction: on SQLite it is IMMEDIATE (one
    writer at a time); on PostgreSQL the exclusion constraints turn a lost race into SlotTaken.
    """
    now = now or timezone.now()
    # Before any arithmetic: a start in the year 9999 plus the lesson's length overflows.
    _check_hold_request(student, teacher, starts_at, duration_minutes, level, purpose, now)
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    with transaction.atomic():
        _lock_calendars(teacher_id=teacher.pk, student_id=student.pk)
        _release_lapsed_holds(teacher=teacher, student=student, now=now)
        _check_slot_is_free(teacher, starts_at, duration_minutes, now)
        _check_student_is_free(student, starts_at, ends_at, now)
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    teacher=teacher,
                    student=student,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    duration_minutes=duration_minutes,
                    status=BookingStatus.HELD,
                    level=level,
                    purpose=purpose,
                    message=message.strip(),
                    price=teacher.price_for(duration_minutes),
                    hold_expires_at=now + dt.timedelta(minutes=HOLD_MINUTES),
                )
        except IntegrityError as exc:  # the exclusion constraints: another request won the race
            raise SlotTaken() from exc
    return booking


def _lock_calendars(*, teacher_id: int, student_id: int) -> None:
    """Take the teacher's, then the student's row lock: bookings of one teacher (or student)
    queue up, so the availability check sees every committed booking.

    Without it, concurrent inserts meet only in the exclusion constraints, where PostgreSQL may
    resolve the tie as a deadlock. Always teacher first, then student, so no two callers wait on
    each other in a circle. (SQLite's IMMEDIATE transactions already serialise all writers.)
    """
    list(TeacherProfile.objects.select_for_update().filter(pk=teacher_id).values_list("pk"))
    list(User.objects.select_for_update().filter(pk=student_id).values_list("pk"))


def _check_hold_request(
    student: User,
    teacher: TeacherProfile,
    starts_at: dt.datetime,
    duration_minutes: int,
    level: str,
    purpose: str,
    now: dt.datetime,
) -> None:
    if student.role != Role.STUDENT:
        raise BookingError("Only students can book lessons.")
    if not teacher.is_published or not teacher.user.is_active:
        raise BookingError("This teacher is not taking bookings.")
    if timezone.is_naive(starts_at):
        raise BookingError("That time is not valid.")
    if not within_date_range(starts_at):
        raise BookingError(TIME_OUT_OF_RANGE)
    if duration_minutes not in teacher.durations:
        offered = " or ".join(f"{m} minutes" for m in teacher.durations)
        raise BookingError(f"{teacher.name} offers lessons of {offered}.")
    if level not in Level.values:
        raise BookingError("Choose your French level.")
    if purpose not in Purpose.values:
        raise BookingError("Choose what the lesson is for.")
    if starts_at <= now:
        raise BookingError("That time is in the past.")
    if starts_at < now + dt.timedelta(hours=teacher.min_notice_hours):
        raise BookingError(
            f"{teacher.name} needs at least {teacher.min_notice_hours} hours' notice."
        )
    if starts_at > now + dt.timedelta(days=teacher.horizon_days):
        raise BookingError(
            f"{teacher.name} can be booked at most {teacher.horizon_days} days ahead."
        )


def _check_slot_is_free(
    teacher: TeacherProfile,
    starts_at: dt.datetime,
    duration_minutes: int,
    now: dt.datetime,
    ignore_booking_id: int | None = None,
) -> None:
    free = teacher_free_slots(
        teacher,
        window_start=starts_at,
        window_end=starts_at + dt.timedelta(microseconds=1),
        duration_minutes=duration_minutes,
        now=now,
        ignore_booking_id=ignore_booking_id,
    )
    if starts_at in free:
        return
    buffer = dt.timedelta(minutes=teacher.buffer_minutes)
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    clash = Booking.objects.filter(
        blocking_bookings_q(now),
        teacher=teacher,
        starts_at__lt=ends_at + buffer,
        ends_at__gt=starts_at - buffer,
    )
    if ignore_booking_id is not None:
        clash = clash.exclude(pk=ignore_booking_id)
    if clash.exists():
        raise SlotTaken()
    raise BookingError(f"That time is not in {teacher.name}'s availability.")


def _check_student_is_free(
    student: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    now: dt.datetime,
    ignore_booking_id: int | None = None,
) -> None:
    clash = Booking.objects.filter(
        blocking_bookings_q(now), student=student, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if ignore_booking_id is not None:
        clash = clash.exclude(pk=ignore_booking_id)
    if clash.exists():
        raise SlotTaken("You already have a lesson at that time.")


def _release_lapsed_holds(*, teacher: TeacherProfile, student: User, now: dt.datetime) -> None:
    """Lapsed holds still count for the database constraints until marked expired."""
    lapsed = Booking.objects.filter(
        Q(teacher=teacher) | Q(student=student), status=BookingStatus.HELD, hold_expires_at__lte=now
    )
    _, students = _expire_holds(lapsed, now=now)
    if students:
        # The bulk update sends no signal: their students' pages move by hand. The booking this
        # transaction saves next bumps this teacher's calendar and this student: taken here,
        # in one call, so every counter is locked in lock_order.
        versions.bump(
            [
                versions.teacher_scope(teacher.pk),
                versions.person_scope(student.pk),
                *(versions.person_scope(pk) for pk in students),
            ]
        )


def _expire_holds(lapsed: QuerySet[Booking], *, now: dt.datetime) -> tuple[int, set[int]]:
    """Mark these lapsed holds expired: how many, and their students' ids. Only the rows read
    are updated, so every student whose hold changed is among the ids."""
    rows = list(lapsed.values_list("pk", "student_id"))
    if not rows:
        return 0, set()
    count = Booking.objects.filter(pk__in=[pk for pk, _ in rows], status=BookingStatus.HELD).update(
        status=BookingStatus.EXPIRED, expired_at=now, updated_at=now
    )
    return count, {student_id for _, student_id in rows}


# --- transitions -------------------------------------------------------------------------------


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("teacher__user", "student")
        .get(pk=booking.pk)
    )


def _refund(booking: Booking, reason: str) -> None:
    """The refund hook: record that the lesson is to be refunded in full, then announce it.

    One intent per booking (a OneToOne), so asking twice never refunds twice. Bookings knows the
    lesson's price, not what was paid for it: the payments app refunds what its order line
    really cost (after discounts), never more than this intent's amount.
    """
    _, created = RefundIntent.objects.get_or_create(
        booking=booking, defaults={"amount": booking.price, "reason": reason}
    )
    if created:
        transaction.on_commit(
            lambda: booking_refund_due.send(sender=Booking, booking_id=booking.pk, reason=reason)
        )


@transaction.atomic
def booking_mark_paid(*, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """Payment arrived: the teacher is asked, or, with instant booking, the lesson is confirmed."""
    now = now or timezone.now()
    booking = _locked(booking)
    if booking.status != BookingStatus.HELD:
        raise BookingError("This lesson is no longer reserved for you.")
    booking.hold_expires_at = None
    if booking.teacher.instant_booking:
        booking.status = BookingStatus.CONFIRMED
        booking.requested_at = booking.confirmed_at = now
        booking.meeting_url = new_meeting_url()
        _calendar_changed(booking)
        booking.save()
        notifications.notify_booking_confirmed(booking=booking)
    else:
        booking.status = BookingStatus.REQUESTED
        booking.requested_at = now
        booking.save()
        notifications.notify_booking_requested(booking=booking)
    return booking


def _calendar_changed(booking: Booking) -> None:
    """The lesson's event changes for whoever holds it: one step up in its SEQUENCE, so their
    calendar app takes the file about to be sent. The caller holds the row lock and saves."""
    booking.calendar_sequence += 1


def _check_teacher(booking: Booking, by: User) -> None:
    if booking.teacher.user_id != by.pk:
        raise BookingError("Only the lesson's teacher can answer this request.")


@transaction.atomic
def booking_accept(*, booking: Booking, by: User, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    booking = _locked(booking)
    _check_teacher(booking, by)
    if booking.status != BookingStatus.REQUESTED:
        raise BookingError("Only a lesson request waiting for your answer can be accepted.")
    if booking.starts_at <= now:
        raise BookingError("This lesson's start time has passed.")
    booking.status = BookingStatus.CONFIRMED
    booking.confirmed_at = now
    booking.meeting_url = new_meeting_url()
    _calendar_changed(booking)
    booking.save()
    audit_log(
        actor=by,
        action="booking.accepted",
        obj=booking,
        data=_moved(BookingStatus.REQUESTED, booking),
    )
    notifications.notify_booking_confirmed(booking=booking)
    return booking


@transaction.atomic
def booking_decline(
    *, booking: Booking, by: User, reason: str = "", now: dt.datetime | None = None
) -> Booking:
    now = now or timezone.now()
    booking = _locked(booking)
    _check_teacher(booking, by)
    if booking.status != BookingStatus.REQUESTED:
        raise BookingError("Only a lesson request waiting for your answer can be declined.")
    booking.status = BookingStatus.DECLINED
    booking.declined_at = now
    booking.decline_reason = reason.strip()[:300]
    _calendar_changed(booking)
    booking.save()
    audit_log(
        actor=by,
        action="booking.declined",
        obj=booking,
        data={**_moved(BookingStatus.REQUESTED, booking), "reason": booking.decline_reason},
    )
    _refund(booking, "declined")
    notifications.notify_booking_declined(booking=booking)
    return booking


def _moved(before: str, booking: Booking) -> dict[str, dict[str, str]]:
    return {"status": {"before": before, "after": booking.status}}


@dataclass(frozen=True)
class CancellationTerms:
    allowed: bool
    refunded: bool  # in full (what the lesson really cost is the orders' to say)
    explanation: str


def booking_cancellation_terms(
    booking: Booking, *, by: User, now: dt.datetime | None = None
) -> CancellationTerms:
    """What cancelling would do, so the page can say it before the person decides."""
    now = now or timezone.now()
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED):
        return CancellationTerms(False, False, "This lesson can no longer be cancelled.")
    if booking.starts_at <= now:
        return CancellationTerms(False, False, "This lesson has already started.")
    if by.role == Role.STAFF or booking.teacher.user_id == by.pk:
        return CancellationTerms(True, True, "The student is refunded in full.")
    if booking.student_id != by.pk:
        return CancellationTerms(False, False, "This is not your lesson.")
    if booking.status == BookingStatus.REQUESTED:
        return CancellationTerms(True, True, "You are refunded in full.")
    if booking.starts_at - now >= FREE_CANCELLATION_BEFORE:
        return CancellationTerms(
            True, True, "More than 24 hours before the lesson: refunded in full."
        )
    return CancellationTerms(
        True, False, "Less than 24 hours before the lesson: cancelling now is not refunded."
    )


@transaction.atomic
def booking_cancel(*, booking: Booking, by: User, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    booking = _locked(booking)
    terms = booking_cancellation_terms(booking, by=by, now=now)
    if not terms.allowed:
        raise BookingError(terms.explanation)
    before = booking.status
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.cancelled_by = by
    _calendar_changed(booking)
    booking.save()
    audit_log(
        actor=by,
        action="booking.cancelled",
        obj=booking,
        data={**_moved(before, booking), "refunded": terms.refunded},
    )
    if terms.refunded:
        _refund(booking, f"cancelled by {by.role}")
    notifications.notify_booking_cancelled(
        booking=booking, cancelled_by=by, refunded=terms.refunded
    )
    return booking


@transaction.atomic
def booking_release_hold(*, booking: Booking, by: User, now: dt.datetime | None = None) -> Booking:
    """The student drops a reserved (unpaid) lesson: the slot opens again at once."""
    now = now or timezone.now()
    booking = _locked(booking)
    if booking.student_id != by.pk or booking.status != BookingStatus.HELD:
        raise BookingError("This lesson is not reserved for you.")
    booking.status = BookingStatus.EXPIRED
    booking.expired_at = now
    booking.save()
    return booking


def booking_can_reschedule(booking: Booking, *, by: User, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        booking.student_id == by.pk
        and booking.status == BookingStatus.CONFIRMED
        and booking.starts_at - now >= FREE_CANCELLATION_BEFORE
    )


@transaction.atomic
def booking_reschedule(
    *,
    booking: Booking,
    by: User,
    new_starts_at: dt.datetime,
    expected_starts_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Move a confirmed lesson (at least 24 h ahead) to another free slot of the same teacher.

    `expected_starts_at` is the time the student saw when confirming: if the lesson moved since
    (another tab), their old → new choice no longer describes what would happen, so refuse.
    """
    now = now or timezone.now()
    _lock_calendars(teacher_id=booking.teacher_id, student_id=booking.student_id)
    booking = _locked(booking)
    if booking.student_id != by.pk:
        raise BookingError("This is not your lesson.")
    if expected_starts_at is not None and expected_starts_at != booking.starts_at:
        raise BookingChanged()
    if booking.status != BookingStatus.CONFIRMED:
        raise BookingError("Only a confirmed lesson can be moved.")
    if booking.starts_at - now < FREE_CANCELLATION_BEFORE:
        raise BookingError("A lesson can be moved only up to 24 hours before it starts.")
    if new_starts_at == booking.starts_at:
        raise BookingError("Choose a different time.")
    if timezone.is_naive(new_starts_at) or not within_date_range(new_starts_at):
        raise BookingError(TIME_OUT_OF_RANGE)
    new_ends_at = new_starts_at + dt.timedelta(minutes=booking.duration_minutes)
    if new_starts_at < now + dt.timedelta(hours=booking.teacher.min_notice_hours):
        raise BookingError("That time is too soon for this teacher.")
    _check_slot_is_free(
        booking.teacher, new_starts_at, booking.duration_minutes, now, ignore_booking_id=booking.pk
    )
    _check_student_is_free(by, new_starts_at, new_ends_at, now, ignore_booking_id=booking.pk)
    previous = booking.starts_at
    booking.rescheduled_from = previous
    booking.starts_at, booking.ends_at = new_starts_at, new_ends_at
    _calendar_changed(booking)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        raise SlotTaken() from exc
    # Reminders belong to the old time: the new time gets its own.
    booking.notifications.filter(kind__startswith="reminder_").delete()
    notifications.notify_booking_rescheduled(booking=booking, previous_starts_at=previous)
    return booking


# --- time-driven work (run by the periodic job) --------------------------------------------------


def bookings_expire_lapsed_holds(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    with transaction.atomic():
        lapsed = Booking.objects.filter(status=BookingStatus.HELD, hold_expires_at__lte=now)
        count, students = _expire_holds(lapsed, now=now)
        # A bulk update sends no signal: the students' own pages move by hand.
        versions.bump(versions.person_scope(pk) for pk in students)
    return count


def bookings_expire_unanswered(*, now: dt.datetime | None = None) -> int:
    """Requests not answered within 48 h, or by the lesson's start, expire and are refunded."""
    now = now or timezone.now()
    due = Booking.objects.filter(status=BookingStatus.REQUESTED).filter(
        Q(requested_at__lte=now - ANSWER_WITHIN) | Q(starts_at__lte=now)
    )
    count = 0
    for booking_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("teacher__user", "student")
                .get(pk=booking_id)
            )
            if booking.status != BookingStatus.REQUESTED:
                continue  # answered meanwhile
            booking.status = BookingStatus.EXPIRED
            booking.expired_at = now
            _calendar_changed(booking)
            booking.save()
            _refund(booking, "not answered")
            notifications.notify_booking_expired(booking=booking)
            count += 1
    return count


@transaction.atomic
def booking_complete(*, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """A confirmed lesson that has ended is completed, and its student invited to review it.

    Idempotent: completing a completed lesson changes nothing and mails no one again (the
    invitation's sent-log row is unique per lesson). Saved through the model so its teacher's
    calendar version moves (bookings/content_versions.py).
    """
    now = now or timezone.now()
    booking = _locked(booking)
    if booking.status == BookingStatus.COMPLETED:
        return booking
    if booking.status != BookingStatus.CONFIRMED or booking.ends_at > now:
        raise BookingError("Only a confirmed lesson that has ended can be completed.")
    booking.status = BookingStatus.COMPLETED
    booking.completed_at = now
    booking.save(update_fields=["status", "completed_at", "updated_at"])
    notifications.notify_review_invitation(booking=booking)
    return booking


def bookings_complete_finished(*, now: dt.datetime | None = None) -> int:
    """Complete every confirmed lesson that has ended, one transaction each, so one lesson's
    failure (or a concurrent change) never holds back the others."""
    now = now or timezone.now()
    due = Booking.objects.filter(status=BookingStatus.CONFIRMED, ends_at__lte=now)
    count = 0
    for booking_id in due.values_list("pk", flat=True).order_by("ends_at", "pk"):
        try:
            booking_complete(booking=Booking(pk=booking_id), now=now)
        except BookingError:
            continue  # cancelled or moved since the list was read
        count += 1
    return count


def bookings_queue_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Queue, for each confirmed lesson, the one reminder whose window it is in now, if not sent.

    Only the current window counts (`notifications.reminder_window`), so after the job was
    stopped a lesson gets the reminder that fits the time left, not every overdue one. The task
    re-checks the booking and the sent-log when it runs, so queueing twice is harmless. A lesson
    confirmed after a window opened gets no reminder for that window: the confirmation was it.
    """
    now = now or timezone.now()
    queued = 0
    farthest = max(notifications.REMINDERS.values())
    upcoming = Booking.objects.filter(
        status=BookingStatus.CONFIRMED, starts_at__gt=now, starts_at__lte=now + farthest
    ).values_list("pk", "starts_at", "confirmed_at")
    sent = set(
        SentNotification.objects.filter(
            booking__in=[pk for pk, _, _ in upcoming], kind__in=notifications.REMINDERS
        ).values_list("booking_id", "kind")
    )
    for booking_id, starts_at, confirmed_at in upcoming:
        kind = notifications.reminder_window(starts_at - now)
        if kind is None or (booking_id, kind) in sent:
            continue
        if confirmed_at is None or confirmed_at > starts_at - notifications.REMINDERS[kind]:
            continue
        notifications.send_due_reminder.enqueue(booking_id=booking_id, kind=kind)
        queued += 1
    return queued


def scheduling_tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Everything time moves forward: run every minute by `manage.py run_periodic_jobs`."""
    now = now or timezone.now()
    return {
        "holds_expired": bookings_expire_lapsed_holds(now=now),
        "requests_expired": bookings_expire_unanswered(now=now),
        "lessons_completed": bookings_complete_finished(now=now),
        "reminders_queued": bookings_queue_due_reminders(now=now),
    }
