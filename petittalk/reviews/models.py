"""A student's rating of one completed lesson, the teacher's one reply, and staff moderation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from petittalk.bookings.models import Booking
from petittalk.teachers.models import TeacherProfile

MAX_TEXT = 2000
MAX_REPLY = 1000
MAX_HIDDEN_REASON = 300
# A review may be changed for this long after it was first written; then it stands.
EDIT_WINDOW = dt.timedelta(days=14)
STARS = (5, 4, 3, 2, 1)


class Review(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="review")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews_written"
    )
    teacher = models.ForeignKey(TeacherProfile, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=MAX_TEXT, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    # Staff moderation: a hidden review is kept, shown only to its author and to staff.
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=MAX_HIDDEN_REASON, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    reply = models.TextField(max_length=MAX_REPLY, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            ),
        ]
        indexes = [
            models.Index(
                fields=["teacher", "is_hidden", "-created_at"], name="review_teacher_latest_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ for booking #{self.booking_id}"

    def editable_until(self) -> dt.datetime:
        return self.created_at + EDIT_WINDOW
