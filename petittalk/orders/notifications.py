"""Emails about money: the receipt when an order is paid, a note when a refund goes out."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from petittalk.core.emails import queue_templated_email
from petittalk.core.timefmt import format_datetime
from petittalk.orders.models import Order, Refund


def notify_order_paid(*, order: Order) -> None:
    student = order.student
    lines = [
        {
            "description": line.description,
            "teacher": line.teacher_name,
            # The lesson as it is now (the order line keeps the time it was bought for).
            "when": format_datetime(line.booking.starts_at, student.timezone),
            "price": line.price,
            "discount": line.discount,
            "total": line.total,
        }
        for line in order.lines.select_related("booking")
    ]
    queue_templated_email(
        template="orders/email/receipt",
        to=[order.billing_email or student.email],
        to_name=order.billing_name or student.name,
        context={
            "order": order,
            "lines": lines,
            "student": student,
            "url": settings.SITE_URL + reverse("orders:detail", args=[order.number]),
        },
    )


def notify_refund(*, refund: Refund) -> None:
    """The lesson as it is now; if it moved since it was bought, from where to where."""
    order = refund.order
    zone = order.student.timezone
    bought_for, starts_at = refund.line.starts_at, refund.line.booking.starts_at
    queue_templated_email(
        template="orders/email/refund",
        to=[order.billing_email or order.student.email],
        to_name=order.billing_name or order.student.name,
        context={
            "refund": refund,
            "order": order,
            "when": format_datetime(starts_at, zone),
            "moved_from": format_datetime(bought_for, zone) if bought_for != starts_at else "",
            "url": settings.SITE_URL + reverse("orders:detail", args=[order.number]),
        },
    )


def notify_replaced_order_refunded(*, order: Order, refunds: list[Refund]) -> None:
    """One email for a payment that arrived for a replaced order and went straight back."""
    queue_templated_email(
        template="orders/email/replaced_refund",
        to=[order.billing_email or order.student.email],
        to_name=order.billing_name or order.student.name,
        context={
            "order": order,
            "amount": sum((r.amount for r in refunds), Decimal("0.00")),
            "url": settings.SITE_URL + reverse("orders:list"),
        },
    )
