"""Every write to reviews. Each keeps its teacher's rating aggregates (on TeacherProfile, which
the directory reads) and the TEACHERS content version right in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone

from petittalk.accounts.models import User
from petittalk.audit.services import audit_log
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.core import versions
from petittalk.reviews.models import (
    MAX_HIDDEN_REASON,
    MAX_REPLY,
    MAX_TEXT,
    Review,
)
from petittalk.teachers.models import TeacherProfile


class ReviewError(Exception):
    """A review that cannot be written, changed, answered or moderated; the message is for users."""


def _check_content(*, rating: int, text: str) -> str:
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ReviewError("Choose a rating from 1 to 5 stars.")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise ReviewError(f"Keep your review under {MAX_TEXT} characters.")
    return text


def _refresh_rating(teacher_id: int) -> None:
    """Recompute the teacher's average and count of visible reviews.

    The profile row is locked first so two reviews of one teacher committing together cannot
    each store an aggregate that misses the other. Saving the profile bumps TEACHERS
    (teachers/content_versions.py); update_fields leaves `updated_at` (the directory's
    "recommended" order) alone.
    """
    profile = TeacherProfile.objects.select_for_update().get(pk=teacher_id)
    figures = Review.objects.filter(teacher_id=teacher_id, is_hidden=False).aggregate(
        average=Avg("rating"), count=Count("pk")
    )
    profile.rating_average = round(figures["average"] or 0, 2)
    profile.rating_count = figures["count"]
    profile.save(update_fields=["rating_average", "rating_count"])


@transaction.atomic
def review_create(
    *, student: User, booking: Booking, rating: int, text: str = "", now: dt.datetime | None = None
) -> Review:
    """The student rates their own completed lesson, once."""
    now = now or timezone.now()
    text = _check_content(rating=rating, text=text)
    booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
    if booking.student_id != student.pk:
        raise ReviewError("You can only review your own lessons.")
    if booking.status != BookingStatus.COMPLETED:
        raise ReviewError("You can review a lesson once it has taken place.")
    if Review.objects.filter(booking=booking).exists():
        raise ReviewError("You have already reviewed this lesson.")
    review = Review.objects.create(
        booking=booking,
        student=student,
        teacher_id=booking.teacher_id,
        rating=rating,
        text=text,
        created_at=now,
        updated_at=now,
    )
    _refresh_rating(booking.teacher_id)
    return review


@transaction.atomic
def review_edit(
    *, review: Review, student: User, rating: int, text: str = "", now: dt.datetime | None = None
) -> Review:
    """The author changes their review, within 14 days of first writing it."""
    now = now or timezone.now()
    text = _check_content(rating=rating, text=text)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.student_id != student.pk:
        raise ReviewError("You can only change your own reviews.")
    if now > review.editable_until():
        raise ReviewError("Reviews can be changed for 14 days after they are written.")
    review.rating, review.text, review.updated_at = rating, text, now
    review.save(update_fields=["rating", "text", "updated_at"])
    _refresh_rating(review.teacher_id)
    return review


@transaction.atomic
def review_reply(
    *, review: Review, teacher: User, text: str, now: dt.datetime | None = None
) -> Review:
    """The teacher answers a review of one of their lessons, once."""
    now = now or timezone.now()
    text = text.strip()
    if not text:
        raise ReviewError("Write your reply first.")
    if len(text) > MAX_REPLY:
        raise ReviewError(f"Keep your reply under {MAX_REPLY} characters.")
    review = Review.objects.select_for_update().select_related("teacher").get(pk=review.pk)
    if review.teacher.user_id != teacher.pk:
        raise ReviewError("You can only reply to reviews of your own lessons.")
    if review.replied_at is not None:
        raise ReviewError("You have already replied to this review.")
    review.reply, review.replied_at = text, now
    review.save(update_fields=["reply", "replied_at"])
    # The aggregates did not move, but the teacher page shows the reply.
    versions.bump([versions.TEACHERS])
    return review


@transaction.atomic
def review_hide(*, review: Review, by: User, reason: str, now: dt.datetime | None = None) -> Review:
    """Staff take a review off the public pages; it is kept, with the reason, for its author."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ReviewError("Say why the review is hidden: its author will see it.")
    if len(reason) > MAX_HIDDEN_REASON:
        raise ReviewError(f"Keep the reason under {MAX_HIDDEN_REASON} characters.")
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.is_hidden:
        raise ReviewError("This review is already hidden.")
    review.is_hidden, review.hidden_reason, review.hidden_by, review.hidden_at = (
        True,
        reason,
        by,
        now,
    )
    review.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    audit_log(actor=by, action="review.hide", obj=review, data={"reason": reason})
    _refresh_rating(review.teacher_id)
    return review


@transaction.atomic
def review_unhide(*, review: Review, by: User) -> Review:
    """Staff put a hidden review back on the public pages."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if not review.is_hidden:
        raise ReviewError("This review is not hidden.")
    before = review.hidden_reason
    review.is_hidden, review.hidden_reason, review.hidden_by, review.hidden_at = (
        False,
        "",
        None,
        None,
    )
    review.save(update_fields=["is_hidden", "hidden_reason", "hidden_by", "hidden_at"])
    audit_log(actor=by, action="review.unhide", obj=review, data={"reason_was": before})
    _refresh_rating(review.teacher_id)
    return review
