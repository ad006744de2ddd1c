"""Who did what to which object, and when: one row per staff action or money movement."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

# Every verb the services write, with the words staff read on the history pages.
ACTIONS = {
    "order.paid": "Order paid",
    "order.paid.replaced": "Replaced order paid (sent back in full)",
    "order.payment.failed": "Payment failed",
    "order.refund": "Refunded",
    "order.refund.manual": "Refunded by staff",
    "order.refund.failed": "Refund refused by the gateway",
    "booking.accepted": "Lesson accepted",
    "booking.declined": "Lesson declined",
    "booking.cancelled": "Lesson cancelled",
    "teacher.invited": "Teacher invited",
    "teacher.published": "Teacher published",
    "teacher.unpublished": "Teacher unpublished",
    "teacher.changed": "Teacher profile changed",
    "offer.created": "Offer created",
    "offer.changed": "Offer changed",
    "offer.deactivated": "Offer deactivated",
}

# Keys of `data` that hold an amount of money (stored as a string, shown as €18.00).
MONEY_KEYS = {"amount", "total"}

# The kinds of object entries are about, as staff filter them.
OBJECT_TYPES = {
    "orders.order": "Order",
    "bookings.booking": "Lesson",
    "teachers.teacherprofile": "Teacher",
    "offers.offer": "Offer",
}

# Objects whose own description carries a time or a state that goes stale (a booking's says
# "… 10:00 UTC (confirmed)"): the history calls them by their key instead.
CALLED_BY_KEY = {"bookings.booking": "Lesson"}


class AuditEntry(models.Model):
    """One recorded action. The object is a plain reference (`app_label.model` and its key),
    not a foreign key, so the record outlives the object."""

    # PROTECT: an account that acted keeps its name on the record; accounts are deactivated,
    # never deleted. Null is the system itself (a gateway's event, a periodic job).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    # What the record says about itself when shown: an order's number, a teacher's name.
    object_repr = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(
                fields=["object_type", "object_id", "-created_at"], name="audit_object_idx"
            ),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"

    @property
    def label(self) -> str:
        return ACTIONS.get(self.action, self.action)

    @property
    def object_label(self) -> str:
        if self.object_type in CALLED_BY_KEY:
            return f"{CALLED_BY_KEY[self.object_type]} #{self.object_id}"
        return self.object_repr or f"{self.object_type} #{self.object_id}"
