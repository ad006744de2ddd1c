"""Reads about orders, scoped to who is looking."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from petittalk.accounts.models import Role, User
from petittalk.bookings.models import Booking
from petittalk.orders.models import Order, OrderLine, OrderStatus, Refund, RefundStatus

ZERO = Decimal("0.00")


def orders_visible_to(user: User) -> QuerySet[Order]:
    orders = Order.objects.select_related("student")
    if user.role == Role.STAFF:
        return orders
    return orders.filter(student=user)


def orders_newest_first(user: User) -> QuerySet[Order]:
    """The orders `user` may see, newest first, each with `line_count` (one query for the page)."""
    return (
        orders_visible_to(user).annotate(line_count=Count("lines")).order_by("-created_at", "-pk")
    )


def current_order_of(student: User) -> Order | None:
    """The student's order awaiting payment, if any (a checkout replaces all the others)."""
    return (
        Order.objects.filter(student=student, status=OrderStatus.PENDING)
        .order_by("-created_at", "-pk")
        .first()
    )


def last_billing_of(student: User) -> Order | None:
    """The student's latest order, for its billing details (name, email, country)."""
    return (
        Order.objects.filter(student=student)
        .only("billing_name", "billing_email", "billing_country")
        .order_by("-created_at", "-pk")
        .first()
    )


def order_with_details(user: User, number: str) -> Order:
    return get_object_or_404(
        orders_visible_to(user).prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("booking")),
            Prefetch("refunds", queryset=Refund.objects.select_related("line")),
        ),
        number=number,
    )


def refundable_lines(order: Order) -> QuerySet[OrderLine]:
    """An order's lines with something left to refund, each with `refunded` (not failed)."""
    if not order.was_charged:
        return OrderLine.objects.none()
    return (
        order.lines.annotate(
            refunded=Sum(
                "refunds__amount",
                filter=~Q(refunds__status=RefundStatus.FAILED),
                default=ZERO,
            )
        )
        .filter(refunded__lt=F("total"))
        .order_by("starts_at", "pk")
    )


def paid_line_for(booking: Booking) -> OrderLine | None:
    return (
        OrderLine.objects.select_related("order")
        .filter(booking=booking, order__status=OrderStatus.PAID)
        .first()
    )


def refundable_amounts(bookings: Iterable[Booking]) -> dict[int, Decimal]:
    """What was actually paid for each booking (after discounts), less what went back already.

    One query for any number of bookings; a booking without a paid order line (demo data made
    before payments existed) counts at its list price.
    """
    bookings = list(bookings)
    amounts = {b.pk: b.price for b in bookings}
    lines = (
        OrderLine.objects.filter(booking__in=bookings, order__status=OrderStatus.PAID)
        .annotate(
            refunded=Sum(
                "refunds__amount",
                filter=~Q(refunds__status=RefundStatus.FAILED),
                default=ZERO,
            )
        )
        .values_list("booking_id", "total", "refunded")
    )
    for booking_id, total, refunded in lines:
        amounts[booking_id] = max(total - refunded, ZERO)
    return amounts


def orders_for_booking(user: User, booking: Booking) -> QuerySet[Order]:
    """The orders a lesson was in (a replaced one too), newest first."""
    return orders_visible_to(user).filter(lines__booking=booking).order_by("-created_at", "-pk")
