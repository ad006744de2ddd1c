"""Reads about payments: what the gateways told us."""

from __future__ import annotations

from django.db.models import QuerySet

from petittalk.orders.models import Order
from petittalk.payments.models import PaymentEvent


def events_for(order: Order) -> QuerySet[PaymentEvent]:
    """The gateway's events about the order's payment, newest first (none before it started)."""
    if not order.payment_reference:
        return PaymentEvent.objects.none()
    return PaymentEvent.objects.filter(gateway=order.gateway, reference=order.payment_reference)
