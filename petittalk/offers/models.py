from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper

from petittalk.core.money import format_money
from petittalk.offers import pricing
from petittalk.teachers.models import TeacherProfile

CODE_MAX_LENGTH = 30


class OfferKind(models.TextChoices):
    PERCENT = pricing.PERCENT, "Percent off each lesson"
    FIXED = pricing.FIXED, "Fixed amount off the order"
    BUY_N_GET_M = pricing.BUY_N_GET_M, "Buy N lessons, get M free"
    TRIAL_PRICE = pricing.TRIAL_PRICE, "Price of a student's first lesson"


class Offer(models.Model):
    """A discount staff set up. The rules of applying it live in `pricing.py`."""

    name = models.CharField(max_length=80)
    description = models.TextField(
        blank=True, max_length=500, help_text="Shown to students on the offer card."
    )
    kind = models.CharField(max_length=12, choices=OfferKind.choices, default=OfferKind.PERCENT)
    value = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text="The percentage, the amount off in €, or the first-lesson price in €.",
    )
    buy_quantity = models.PositiveSmallIntegerField("lessons to buy (N)", null=True, blank=True)
    free_quantity = models.PositiveSmallIntegerField("free lessons (M)", null=True, blank=True)
    code = models.CharField(
        max_length=CODE_MAX_LENGTH,
        blank=True,
        help_text="Leave blank to apply the offer automatically. Stored in capitals.",
    )
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    min_lessons = models.PositiveSmallIntegerField("minimum lessons in the basket", default=1)
    max_uses = models.PositiveIntegerField("uses in total", null=True, blank=True)
    max_uses_per_student = models.PositiveIntegerField("uses per student", null=True, blank=True)
    teachers = models.ManyToManyField(
        TeacherProfile,
        blank=True,
        related_name="offers",
        help_text="Only lessons with these teachers. None ticked: every teacher.",
    )
    stackable = models.BooleanField(
        default=False, help_text="Combines with other offers. Otherwise only the best one applies."
    )
    is_featured = models.BooleanField("featured on the home page", default=False)
    is_public = models.BooleanField(
        "listed on the offers page",
        default=True,
        help_text="Untick for a code you hand out privately (a school, a partner): it still "
        "works at checkout, but no public page shows it.",
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["is_active", "code"], name="offer_active_code_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OfferKind.values), name="offer_kind_valid"),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="offer_value_not_negative",
                violation_error_message="The value can't be negative.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=OfferKind.PERCENT) | Q(value__lte=100),
                name="offer_percent_at_most_100",
                violation_error_message="A percentage can't be more than 100.",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gt=F("valid_from")),
                name="offer_window_valid",
                violation_error_message="The offer must end after it starts.",
            ),
            models.CheckConstraint(
                # NULL would make a plain `>= 1` check pass (SQL's unknown), hence isnull too.
                condition=~Q(kind=OfferKind.BUY_N_GET_M)
                | Q(
                    buy_quantity__isnull=False,
                    free_quantity__isnull=False,
                    buy_quantity__gte=1,
                    free_quantity__gte=1,
                ),
                name="offer_buy_get_quantities",
                violation_error_message="Say how many lessons to buy and how many are free.",
            ),
            models.CheckConstraint(
                condition=Q(min_lessons__gte=1),
                name="offer_min_lessons_positive",
                violation_error_message="An offer needs at least 1 lesson in the basket.",
            ),
            # Codes are compared case-insensitively, so they are stored in one case only.
            models.CheckConstraint(condition=Q(code=Upper("code")), name="offer_code_upper"),
            models.UniqueConstraint(
                Upper("code"),
                condition=~Q(code=""),
                name="offer_code_unique",
                violation_error_message="Another offer already uses this code.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def deal(self) -> str:
        """The deal in words: `20% off`, `€5 off`, `Buy 5, get 1 free`, `First lesson €9.00`."""
        if self.kind == OfferKind.PERCENT:
            return f"{_plain_number(self.value)}% off"
        if self.kind == OfferKind.FIXED:
            return f"{_whole_euros(self.value)} off"
        if self.kind == OfferKind.BUY_N_GET_M:
            return f"Buy {self.buy_quantity}, get {self.free_quantity} free"
        if self.value == 0:
            return "First lesson free"
        return f"First lesson {format_money(self.value)}"

    @property
    def is_automatic(self) -> bool:
        return not self.code


def _plain_number(value: Decimal) -> str:
    """`20.00` -> `20`, `12.50` -> `12.5`."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _whole_euros(value: Decimal) -> str:
    """`€5` for a whole amount, `€2.50` otherwise."""
    money = format_money(value)
    return money.removesuffix(".00")


class RedemptionStatus(models.TextChoices):
    # Reserved by an order awaiting payment: counts against the limits for other students until
    # `held_until`, so the last use cannot be sold twice, and is released if the payment fails.
    HELD = "held", "Reserved by an order awaiting payment"
    USED = "used", "Used by a paid order"


class OfferRedemption(models.Model):
    """One use of an offer by one order. Only a paid order's use is final (`USED`); an order
    awaiting payment holds one (`HELD`) that is released when the payment fails or the order is
    replaced."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="redemptions")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="offer_redemptions"
    )
    # The orders app comes later; it keeps the id so this table does not depend on it.
    order_id = models.PositiveBigIntegerField()
    status = models.CharField(
        max_length=4, choices=RedemptionStatus.choices, default=RedemptionStatus.HELD
    )
    held_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["offer", "student"], name="redemption_offer_student_idx"),
            models.Index(fields=["order_id"], name="redemption_order_idx"),
        ]
        constraints = [
            # An order uses an offer once, so replaying a payment never counts it twice.
            models.UniqueConstraint(fields=["offer", "order_id"], name="redemption_once_per_order"),
        ]

    def __str__(self) -> str:
        return f"{self.offer} for order #{self.order_id}"
