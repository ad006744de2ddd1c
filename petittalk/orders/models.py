from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_countries.fields import CountryField

from petittalk.bookings.models import Booking
from petittalk.core.money import format_money, quantize


class OrderStatus(models.TextChoices):
    PENDING = "pending", "Awaiting payment"
    PAID = "paid", "Paid"
    FAILED = "failed", "Payment failed"
    # A newer checkout took its place: it can no longer be paid (a payment that still arrives
    # is sent back in full).
    ABANDONED = "abandoned", "Replaced by a newer order"


class Order(models.Model):
    """What a student pays for at once: one or several lessons, prices snapshotted at checkout."""

    number = models.CharField(max_length=32, unique=True)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    billing_name = models.CharField(max_length=120)
    billing_email = models.EmailField()
    billing_country = CountryField()
    currency = models.CharField(max_length=3, default="EUR")
    subtotal = models.DecimalField(max_digits=9, decimal_places=2)
    discount = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0.00"))
    total = models.DecimalField(max_digits=9, decimal_places=2)
    # What went back through the gateway (succeeded refunds), kept with the order so every list
    # shows the net amount paid without counting refunds row by row.
    amount_refunded = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0.00"))
    code = models.CharField("offer code entered", max_length=30, blank=True)
    gateway = models.CharField(max_length=10)
    # The gateway's payment (a Stripe PaymentIntent id): one per order, never two.
    payment_reference = models.CharField(max_length=100, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    # Checkout's own clock, so an order placed at `now` (the demo's past lessons) says so.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(discount__gte=0) & Q(total__lte=models.F("subtotal")),
                name="order_amounts_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded__gte=0) & Q(amount_refunded__lte=models.F("total")),
                name="order_refunds_within_total",
            ),
            models.UniqueConstraint(
                fields=["gateway", "payment_reference"],
                condition=~Q(payment_reference=""),
                name="order_payment_reference_unique",
            ),
        ]
        indexes = [models.Index(fields=["student", "-created_at"], name="order_student_idx")]

    def __str__(self) -> str:
        return f"Order {self.number}"

    @property
    def total_cents(self) -> int:
        return int(self.total * 100)

    @property
    def is_paid(self) -> bool:
        return self.status == OrderStatus.PAID

    @property
    def was_charged(self) -> bool:
        """Money reached us for this order (a replaced order may still have been paid)."""
        return self.paid_at is not None

    @property
    def net_paid(self) -> Decimal:
        return self.total - self.amount_refunded if self.was_charged else Decimal("0.00")

    @property
    def payment_state(self) -> str:
        """What a person reads about the money: Paid, Partly refunded, Refunded, or the status."""
        if self.was_charged and self.amount_refunded > 0:
            return "Refunded" if self.amount_refunded >= self.total else "Partly refunded"
        return self.get_status_display()

    @property
    def payment_state_is_good(self) -> bool:
        return self.is_paid and self.amount_refunded < self.total

    def discount_breakdown(self) -> list[dict]:
        """The order's discounts, one per offer, each named with its code when a code applied
        it: [{name, code, amount}] in the order they were applied (from the prefetched lines)."""
        totals: dict[int, dict] = {}
        for line in self.lines.all():
            for share in line.discounts:
                entry = totals.setdefault(
                    share["offer_id"],
                    {"name": share.get("name", ""), "code": share.get("code", ""), "amount": 0},
                )
                entry["amount"] += Decimal(share["amount"])
        return list(totals.values())


class OrderLine(models.Model):
    """One lesson of an order, with what it cost after its share of every discount."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="order_lines")
    description = models.CharField(max_length=200)
    teacher_name = models.CharField(max_length=80)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    price = models.DecimalField(max_digits=7, decimal_places=2)
    discount = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0.00"))
    total = models.DecimalField(max_digits=7, decimal_places=2)
    discounts = models.JSONField(default=list, help_text="[{offer_id, name, code, amount}] shares.")
    vat_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0"))

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(total__lte=models.F("price")),
                name="order_line_total_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def vat_amount(self) -> Decimal:
        """VAT included in the line total (prices are shown VAT included)."""
        if not self.vat_rate:
            return Decimal("0.00")
        return quantize(self.total - self.total / (1 + self.vat_rate))


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Refunded"
    FAILED = "failed", "Failed"


class Refund(models.Model):
    """Money sent back for one order line, through the gateway, once."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=7, decimal_places=2)
    reason = models.CharField(max_length=60)
    status = models.CharField(
        max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    idempotency_key = models.CharField(max_length=80, unique=True)
    gateway_reference = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"Refund {format_money(self.amount)} on {self.order}"
