"""Shared set-up for payment tests: lessons held in a student's basket."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from petittalk.bookings.models import Booking, BookingStatus
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.orders.models import Order
from petittalk.orders.services import Billing, checkout_place_order, order_mark_paid
from petittalk.payments.services import order_payment_start

BILLING = Billing(name="Sam Taylor", email="sam@example.com", country="FR")


def held_lessons(student, *prices: str, teacher=None) -> list:
    """One held lesson per price, a day apart (after the student's other lessons), each with its
    own teacher unless given."""
    now = timezone.now()
    first_day = 3 + Booking.objects.filter(student=student).count()
    lessons = []
    for n, price in enumerate(prices):
        extra = {"teacher": teacher} if teacher else {}
        lessons.append(
            BookingFactory(
                student=student,
                status=BookingStatus.HELD,
                hold_expires_at=now + dt.timedelta(minutes=15),
                starts_at=(now + dt.timedelta(days=first_day + n)).replace(
                    minute=0, second=0, microsecond=0
                ),
                price=Decimal(price),
                meeting_url="",
                **extra,
            )
        )
    return lessons


def paid_order(student, *prices: str) -> Order:
    """Held lessons at these prices, checked out and paid through the real services."""
    held_lessons(student, *prices)
    order = checkout_place_order(student=student, billing=BILLING)
    order_payment_start(order=order)
    order_mark_paid(order=order)
    return order
