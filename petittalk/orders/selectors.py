"""Reads about orders, scoped to who is looking."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.shortcuts import get_object_or_404

from petittalk.accounts.models import Role, User
from petittalk.bookings.models import Booking
from petittalk.core.periods import Period, monday_of
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


# --- the staff overview -------------------------------------------------------------------------
# Money counts when it moved: revenue when an order was paid (`paid_at`, also for a replaced
# order whose payment still arrived, which is then refunded), refunds when the gateway sent the
# money back (`completed_at` of a succeeded refund), so each period's net is what it kept.


@dataclass(frozen=True)
class MoneyFigures:
    revenue: Decimal
    refunds: Decimal

    @property
    def net(self) -> Decimal:
        return self.revenue - self.refunds


def _between(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def money_figures(*, periods: list[Period]) -> list[MoneyFigures]:
    """Revenue and refunds in each period. Two queries."""
    earliest = min(period.start for period in periods)
    paid = Order.objects.filter(paid_at__gte=earliest).aggregate(
        **{
            f"p{n}": Sum("total", filter=_between("paid_at", period), default=ZERO)
            for n, period in enumerate(periods)
        }
    )
    refunded = Refund.objects.filter(
        status=RefundStatus.SUCCEEDED, completed_at__gte=earliest
    ).aggregate(
        **{
            f"p{n}": Sum("amount", filter=_between("completed_at", period), default=ZERO)
            for n, period in enumerate(periods)
        }
    )
    return [
        MoneyFigures(revenue=paid[f"p{n}"], refunds=refunded[f"p{n}"]) for n in range(len(periods))
    ]


@dataclass(frozen=True)
class WeekMoney(MoneyFigures):
    monday: dt.date


def money_per_week(*, period: Period, zone: zoneinfo.ZoneInfo) -> list[WeekMoney]:
    """Revenue and refunds of each local week (Monday to Sunday) in `period`. Two queries."""

    def by_week(queryset: QuerySet, field: str, amount: str) -> dict[dt.date, Decimal]:
        rows = (
            queryset.filter(_between(field, period))
            .annotate(week=TruncWeek(field, tzinfo=zone))
            .values("week")
            .annotate(sum=Sum(amount))
            .order_by()
        )
        return {row["week"].date(): row["sum"] for row in rows}

    revenue = by_week(Order.objects.all(), "paid_at", "total")
    refunds = by_week(
        Refund.objects.filter(status=RefundStatus.SUCCEEDED), "completed_at", "amount"
    )
    mondays = sorted({monday_of(day) for day in period.day_list()})
    return [
        WeekMoney(monday=day, revenue=revenue.get(day, ZERO), refunds=refunds.get(day, ZERO))
        for day in mondays
    ]
