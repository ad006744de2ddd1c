from __future__ import annotations

from django.db import models


class PaymentEvent(models.Model):
    """Every event a gateway sent us, stored once: a replayed event id is a no-op."""

    gateway = models.CharField(max_length=10)
    event_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=60)
    reference = models.CharField(max_length=100, blank=True, db_index=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["gateway", "event_id"], name="payment_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.kind} {self.event_id}"
