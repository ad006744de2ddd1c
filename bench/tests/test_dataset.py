"""The page benchmark's dataset builder, at a tiny scale on the suite's PostgreSQL: the sizes it
promises, and data the app itself could have written (no overlaps, orders that add up)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from bench import dataset
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.orders.models import Order, OrderStatus

NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
SMALL = dataset.Scale("small", 3, 12, 60, 10, 6, 2, 20)
LARGER = dataset.Scale("larger", 4, 20, 120, 20, 9, 3, 30)

pytestmark = pytest.mark.django_db


def test_small_dataset_has_the_promised_sizes_and_grows_to_the_next() -> None:
    reached = dataset.grow(SMALL, now=NOW)
    assert reached == {
        "teachers": 3,
        "students": 12,
        "bookings": 60,
        "orders": 10,
        "measured_student_lessons": 6,
        "measured_student_orders": 2,
        "measured_teacher_bookings": 20,
    }
    grown = dataset.grow(LARGER, now=NOW)
    assert (grown["teachers"], grown["bookings"], grown["orders"]) == (4, 120, 20)
    assert grown["measured_teacher_bookings"] == 30
    assert grown["measured_student_lessons"] == 9
    assert grown["measured_student_orders"] == 3


def test_no_teacher_or_student_is_ever_in_two_overlapping_lessons() -> None:
    dataset.grow(SMALL, now=NOW)
    dataset.grow(LARGER, now=NOW)
    assert dataset.overlapping_pairs() == 0


def test_orders_add_up_and_match_their_lessons() -> None:
    dataset.grow(LARGER, now=NOW)
    for order in Order.objects.prefetch_related("lines__booking", "refunds"):
        lines = list(order.lines.all())
        assert lines, order
        assert order.subtotal == order.total == sum(line.price for line in lines)
        statuses = {line.booking.status for line in lines}
        if order.status == OrderStatus.PAID:
            assert statuses <= dataset.PAID_CLASS
            assert order.paid_at is not None
            refunded = order.refunds.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
            assert order.amount_refunded == refunded
        else:
            assert order.status == OrderStatus.FAILED
            assert statuses == {BookingStatus.EXPIRED}
            assert order.paid_at is None


def test_the_basket_student_has_two_live_holds() -> None:
    dataset.grow(SMALL, now=NOW)
    held = Booking.objects.filter(
        student__email=dataset.BASKET_STUDENT,
        status=BookingStatus.HELD,
        hold_expires_at__gt=NOW + dt.timedelta(hours=1),
    )
    assert held.count() == 2
