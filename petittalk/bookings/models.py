from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Func, Q

from petittalk.accounts.models import Level
from petittalk.core.money import format_money
from petittalk.teachers.models import TeacherProfile

HOLD_MINUTES = 15
CHECKOUT_HOLD_MINUTES = 30
ANSWER_WITHIN = timedelta(hours=48)
FREE_CANCELLATION_BEFORE = timedelta(hours=24)


def no_refund_if_cancelled(starts_at: datetime, *, now: datetime) -> bool:
    """A lesson this close to its start is past free cancellation: the student is told before
    paying (slot picker, booking page, basket), not only when they try to cancel."""
    return starts_at - now < FREE_CANCELLATION_BEFORE


class BookingStatus(models.TextChoices):
    HELD = "held", "Held"
    REQUESTED = "requested", "Awaiting the teacher"
    CONFIRMED = "confirmed", "Confirmed"
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


# A booking in one of these states occupies the teacher's and the student's time.
BLOCKING_STATUSES = (
    BookingStatus.HELD,
    BookingStatus.REQUESTED,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
)


class Purpose(models.TextChoices):
    CONVERSATION = "conversation", "Conversation"
    GRAMMAR = "grammar", "Grammar"
    EXAM_PREP = "exam_prep", "Exam prep (DELF/DALF)"
    BUSINESS = "business", "Business French"
    TRAVEL = "travel", "Travel"
    OTHER = "other", "Other"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint on PostgreSQL; elsewhere (SQLite) the service's IMMEDIATE
    transaction does the same job, so the constraint is simply not emitted there."""

    def _postgres(self, schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return (
            super().constraint_sql(model, schema_editor) if self._postgres(schema_editor) else None
        )

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if self._postgres(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if self._postgres(schema_editor) else None

    def validate(self, model, instance, exclude=None, using="default"):
        from django.db import connections

        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)


def no_overlap(field: str, name: str) -> PostgresExclusionConstraint:
    return PostgresExclusionConstraint(
        name=name,
        expressions=[
            (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
            (field, RangeOperators.EQUAL),
        ],
        condition=Q(status__in=BLOCKING_STATUSES),
    )


def new_meeting_url() -> str:
    """An unguessable Jitsi Meet room for one lesson."""
    return f"https://meet.jit.si/PetitTalk-{secrets.token_urlsafe(18)}"


class Booking(models.Model):
    teacher = models.ForeignKey(TeacherProfile, on_delete=models.PROTECT, related_name="bookings")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=BookingStatus.choices, default=BookingStatus.HELD
    )
    level = models.CharField(max_length=2, choices=Level.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    message = models.TextField(blank=True, max_length=1000)
    price = models.DecimalField(max_digits=7, decimal_places=2)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.CharField(max_length=300, blank=True)
    rescheduled_from = models.DateTimeField(null=True, blank=True)
    meeting_url = models.URLField(blank=True)
    # The iCalendar SEQUENCE of the lesson's event: calendar apps only take an update whose
    # SEQUENCE is higher than the one they hold. The services bump it by one, in their
    # transaction, for each change they send the parties a calendar file for.
    calendar_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["teacher", "starts_at"], name="booking_teacher_start_idx"),
            models.Index(fields=["student", "starts_at"], name="booking_student_start_idx"),
            models.Index(fields=["status", "hold_expires_at"], name="booking_status_hold_idx"),
            models.Index(fields=["status", "starts_at"], name="booking_status_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_range_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=BookingStatus.values), name="booking_status_valid"
            ),
            no_overlap("teacher", "booking_teacher_no_overlap"),
            no_overlap("student", "booking_student_no_overlap"),
        ]

    def __str__(self) -> str:
        return (
            f"Booking #{self.pk} {self.teacher} {self.starts_at:%Y-%m-%d %H:%M} UTC ({self.status})"
        )

    @property
    def is_blocking(self) -> bool:
        return self.status in BLOCKING_STATUSES


class RefundIntent(models.Model):
    """A refund the lifecycle decided on. The payments work turns it into a real gateway refund."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="refund_intent")
    amount = models.DecimalField(max_digits=7, decimal_places=2)
    reason = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Refund {format_money(self.amount)} for booking #{self.booking_id} ({self.reason})"


class SentNotification(models.Model):
    """The sent-log: a reminder (or other once-only mail) is recorded so it never goes twice."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind"], name="notification_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for booking #{self.booking_id}"


class CalendarFeed(models.Model):
    """A private, revocable address from which a calendar app reads someone's lessons."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
