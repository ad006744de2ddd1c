"""Emails about a lesson's life: requested, confirmed, declined, expired, cancelled, moved, due.

Each function renders text + HTML in the recipient's time zone (through `core.timefmt`) and queues
the message for after the current transaction commits, so a rolled-back change mails no one. The
services call these; nothing here changes a booking.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from petittalk.accounts.models import User
from petittalk.bookings.calendar import booking_ics, itip_method
from petittalk.bookings.models import (
    ANSWER_WITHIN,
    Booking,
    BookingStatus,
    SentNotification,
)
from petittalk.core.emails import build_email, queue_email
from petittalk.core.timefmt import format_datetime, format_time, localize

ICS_FILENAME = "petittalk-lesson.ics"
# The iTIP method repeated on the MIME part: Outlook and Gmail read it there to treat the file as
# an invitation (or its cancellation); Django adds `charset="utf-8"` to a text part.
ICS_CONTENT_TYPE = "text/calendar; method={method}"

# Reminder kind -> how far ahead of the lesson its window opens, farthest first. A window runs
# until the next one opens (the 24 h one until 1 h before, the 1 h one until the start).
REMINDERS: dict[str, timedelta] = {
    "reminder_24h": timedelta(hours=24),
    "reminder_1h": timedelta(hours=1),
}
# A reminder that runs much earlier than its lead time belongs to a lesson that was moved later;
# the reminder scheduled for the new time will do the job.
REMINDER_EARLY_TOLERANCE = timedelta(minutes=15)
# Closer than this, "in 55 minutes" reads better than a clock time.
COUNTDOWN_UNDER = timedelta(hours=2)


def reminder_window(time_left: timedelta, *, tolerance: timedelta = timedelta(0)) -> str | None:
    """The one reminder whose window `time_left` falls in, or None (too far, or started).

    The rule: at most one reminder per lesson per window, and only the window the lesson is in
    now. So a job that was stopped sends, on restart, only the reminder that fits the time really
    left (55 minutes away: the 1 h one, never the 24 h one as well); the closer reminder follows a
    farther one only because the farther one went out in its own, earlier window. A cancelled
    (or no longer confirmed) lesson gets none: the task re-reads it.
    """
    if time_left <= timedelta(0):
        return None
    kinds = list(REMINDERS.items())
    for index, (kind, lead) in enumerate(kinds):
        next_lead = kinds[index + 1][1] if index + 1 < len(kinds) else timedelta(0)
        if next_lead < time_left <= lead + tolerance:
            return kind
    return None


def time_left_text(starts_at: dt.datetime, now: dt.datetime, tz_name: str | None) -> str:
    """`in 55 minutes`, `today at 14:30`, `tomorrow at 09:00` or `on Thu 15 Jan at 09:00`,
    from the real time left and in the recipient's zone (a lesson 23 h 15 min away is not
    "in 24 hours")."""
    left = starts_at - now
    if left < COUNTDOWN_UNDER:
        minutes = max(1, round(left.total_seconds() / 60))
        hours, minutes = divmod(minutes, 60)
        parts = [f"{hours} hour"] if hours else []
        if minutes:
            parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
        return "in " + " ".join(parts)
    local_start, local_now = localize(starts_at, tz_name), localize(now, tz_name)
    days = (local_start.date() - local_now.date()).days
    clock = format_time(starts_at, tz_name)
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"on {local_start:%a} {local_start.day} {local_start:%b} at {clock}"


def site_url(path: str = "/") -> str:
    """An absolute link for an email: a task has no request to build one from."""
    base = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}{path}"


@task()
def deliver_email_with_calendar(
    *,
    subject: str,
    body: str,
    to: list[str],
    ics_text: str,
    html: str = "",
    to_name: str = "",
    # Tasks queued before invitations carried a method hold a METHOD:PUBLISH file.
    ics_method: str = "PUBLISH",
) -> None:
    """Like `core.emails.deliver_email`, plus the lesson as an .ics attachment."""
    message = build_email(subject=subject, body=body, to=to, html=html, to_name=to_name)
    message.attach(ICS_FILENAME, ics_text, ICS_CONTENT_TYPE.format(method=ics_method))
    message.send()


def _send(
    template: str,
    *,
    recipient: User,
    booking: Booking,
    extra: dict | None = None,
    with_calendar: bool = False,
) -> None:
    """Render `bookings/email/<template>_*` for one person and queue it (on commit)."""
    context = {**_lesson_context(booking, recipient), **(extra or {})}
    prefix = f"bookings/email/{template}"
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
    subject = f"[{settings.SITE_NAME}] {subject}"
    body = render_to_string(f"{prefix}_message.txt", context)
    html = render_to_string(f"{prefix}_message.html", context)
    to = [recipient.email]
    if not with_calendar:
        queue_email(subject=subject, body=body, html=html, to=to, to_name=recipient.name)
        return
    # Built now, from the booking as this transaction leaves it; str keeps the task args JSON.
    payload = {
        "subject": subject,
        "body": body,
        "html": html,
        "to": to,
        "to_name": recipient.name,
        "ics_text": booking_ics(booking, for_user=recipient).decode(),
        "ics_method": itip_method(booking),
    }
    transaction.on_commit(lambda: deliver_email_with_calendar.enqueue(**payload))


def _lesson_context(booking: Booking, recipient: User) -> dict:
    """What every lesson email shows, with times in the recipient's zone (and the other's)."""
    student, teacher = booking.student, booking.teacher.user
    is_teacher = recipient.pk == teacher.pk
    other = student if is_teacher else teacher
    return {
        "recipient": recipient,
        "is_teacher": is_teacher,
        "other_name": other.name,
        "student_name": student.name,
        "teacher_name": teacher.name,
        "when": format_datetime(booking.starts_at, recipient.timezone),
        # Only worth a line when the two live in different zones.
        "other_when": (
            format_datetime(booking.starts_at, other.timezone)
            if other.timezone != recipient.timezone
            else ""
        ),
        "duration": booking.duration_minutes,
        "level": booking.get_level_display(),
        "purpose": booking.get_purpose_display(),
        "meeting_url": booking.meeting_url,
        "dashboard_url": site_url("/dashboard/teacher/" if is_teacher else "/dashboard/"),
        "teacher_url": site_url(booking.teacher.get_absolute_url()),
        "directory_url": site_url(reverse("teachers:directory")),
    }


def notify_booking_requested(*, booking: Booking) -> None:
    """Ask the teacher to accept or decline, and by when (48 h, or the lesson's start if sooner);
    give the student the lesson as a tentative event, which the answer later confirms or cancels."""
    teacher, student = booking.teacher.user, booking.student
    deadline = min((booking.requested_at or timezone.now()) + ANSWER_WITHIN, booking.starts_at)
    _send(
        "booking_requested",
        recipient=teacher,
        booking=booking,
        extra={
            "answer_by": format_datetime(deadline, teacher.timezone),
            "message": booking.message,
        },
    )
    _send(
        "booking_request_sent",
        recipient=student,
        booking=booking,
        extra={"answer_by": format_datetime(deadline, student.timezone)},
        with_calendar=True,
    )


def notify_booking_confirmed(*, booking: Booking) -> None:
    """Tell both sides the lesson is on, each with the calendar file and the meeting link."""
    for recipient in (booking.student, booking.teacher.user):
        _send("booking_confirmed", recipient=recipient, booking=booking, with_calendar=True)


def notify_booking_declined(*, booking: Booking) -> None:
    """Tell the student the teacher said no, and that their money comes back."""
    _send(
        "booking_declined",
        recipient=booking.student,
        booking=booking,
        extra={"reason": booking.decline_reason},
        # Cancels the tentative event the request email gave the student.
        with_calendar=True,
    )


def notify_booking_expired(*, booking: Booking) -> None:
    """Tell the student the teacher did not answer in time, and that their money comes back."""
    _send(
        "booking_expired",
        recipient=booking.student,
        booking=booking,
        with_calendar=True,
    )


def notify_booking_cancelled(
    *, booking: Booking, cancelled_by: User | None, refunded: bool
) -> None:
    """Tell both: each calendar holding the lesson must drop it, the canceller's included (a late
    cancellation by the student, with no refund, too).

    `cancelled_by` None (or a staff member) means the Petit Talk team cancelled.
    """
    student, teacher = booking.student, booking.teacher.user
    canceller_id = cancelled_by.pk if cancelled_by else None
    if canceller_id in (student.pk, teacher.pk):
        canceller_name = cancelled_by.name
    else:
        canceller_name = "the Petit Talk team"
    for recipient in (student, teacher):
        _send(
            "booking_cancelled",
            recipient=recipient,
            booking=booking,
            extra={
                "cancelled_by_you": recipient.pk == canceller_id,
                "canceller_name": canceller_name,
                "refund": refunded and recipient.pk == student.pk,
            },
            # The student's calendar holds the lesson from the request on; the teacher's only once
            # they accepted it.
            with_calendar=recipient.pk == student.pk or booking.confirmed_at is not None,
        )


def notify_booking_rescheduled(*, booking: Booking, previous_starts_at: dt.datetime) -> None:
    """Tell the teacher the lesson moved, and give both an updated calendar file."""
    for recipient in (booking.teacher.user, booking.student):
        _send(
            "booking_rescheduled",
            recipient=recipient,
            booking=booking,
            extra={"previous_when": format_datetime(previous_starts_at, recipient.timezone)},
            with_calendar=True,
        )


def notify_review_invitation(*, booking: Booking) -> None:
    """Invite the student to review a completed lesson, once per lesson (the sent-log)."""
    _, created = SentNotification.objects.get_or_create(booking=booking, kind="review_invitation")
    if not created:
        return
    _send(
        "review_invitation",
        recipient=booking.student,
        booking=booking,
        # The reviews app (a layer above) serves this address; only its path is known here.
        extra={"review_url": site_url(f"/reviews/lessons/{booking.pk}/")},
    )


@task()
def send_due_reminder(booking_id: int, kind: str) -> None:
    """Remind student and teacher of a lesson, at most once per kind, if it is still happening.

    Runs long after it was scheduled, so it re-reads the booking: a cancelled, moved or already
    started lesson gets no reminder, nor does one that has since entered a closer reminder's
    window (that reminder goes instead; see `reminder_window`). The sent-log row is written in
    the same transaction that queues the emails, and its unique constraint makes a second run
    (or a race) a no-op.
    """
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("student", "teacher__user")
            .filter(pk=booking_id)
            .first()
        )
        now = timezone.now()
        if booking is None or booking.status != BookingStatus.CONFIRMED:
            return
        time_left = booking.starts_at - now
        if reminder_window(time_left, tolerance=REMINDER_EARLY_TOLERANCE) != kind:
            return
        _, created = SentNotification.objects.get_or_create(booking=booking, kind=kind)
        if not created:
            return
        for recipient in (booking.student, booking.teacher.user):
            lead = time_left_text(booking.starts_at, now, recipient.timezone)
            _send("lesson_reminder", recipient=recipient, booking=booking, extra={"lead": lead})
