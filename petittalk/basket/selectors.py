"""The basket is not stored: it is the student's lessons on hold, priced with today's offers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest

from petittalk.accounts.models import User
from petittalk.bookings.models import (
    FREE_CANCELLATION_BEFORE,
    Booking,
    BookingStatus,
    no_refund_if_cancelled,
)
from petittalk.offers.pricing import (
    CODE_APPLIED,
    CODE_NOT_COMBINABLE,
    PricedLine,
    PricingContext,
    PricingLine,
    Quote,
    price_basket,
)
from petittalk.offers.selectors import candidate_offers, pricing_changes_at

# The offer code the student entered lives in their session until checkout.
SESSION_CODE = "basket_code"

PAID_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.COMPLETED)


def basket_code(request: HttpRequest) -> str:
    return request.session.get(SESSION_CODE, "")


def basket_bookings(student: User, *, now: dt.datetime) -> list[Booking]:
    return list(
        Booking.objects.filter(student=student, status=BookingStatus.HELD, hold_expires_at__gt=now)
        .select_related("teacher__user")
        .order_by("starts_at")
    )


def basket_count(student: User, *, now: dt.datetime) -> int:
    return Booking.objects.filter(
        student=student, status=BookingStatus.HELD, hold_expires_at__gt=now
    ).count()


@dataclass(frozen=True)
class BasketLine:
    booking: Booking
    priced: PricedLine
    no_refund: bool = False  # starts within 24 h: said before paying, not only at cancel time


@dataclass(frozen=True)
class Basket:
    lines: list[BasketLine]
    quote: Quote
    code: str

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def code_note(self) -> str:
        """Why the entered code does not apply ("" when it does, or when there is none)."""
        status = self.quote.code_status
        return status if self.code and status not in ("", CODE_APPLIED) else ""

    @property
    def code_refusal(self) -> str:
        """The code's problem when it stops checkout: a valid code that a better offer beat
        does not (checkout goes on with the better offer)."""
        return "" if self.quote.code_status == CODE_NOT_COMBINABLE else self.code_note

    @property
    def expires_at(self) -> dt.datetime | None:
        return min((line.booking.hold_expires_at for line in self.lines), default=None)


def basket_changes_at(basket: Basket, *, now: dt.datetime) -> dt.datetime | None:
    """The first moment `basket`, computed at `now`, changes by time alone: a hold lapses, a
    lesson crosses the free-cancellation line, a price changes (offers.pricing_changes_at)."""
    moments = [pricing_changes_at(now)]
    for line in basket.lines:
        moments.append(line.booking.hold_expires_at)
        moments.append(line.booking.starts_at - FREE_CANCELLATION_BEFORE)
    # A moment equal to `now` counts: the line is crossed just after it (a page computed at it
    # is then not stored at all).
    return min((moment for moment in moments if moment and moment >= now), default=None)


def basket_for(student: User, *, code: str, now: dt.datetime) -> Basket:
    """Held lessons priced with the offers that apply now (three or four queries)."""
    bookings = basket_bookings(student, now=now)
    lines = [PricingLine(key=str(b.pk), teacher_id=b.teacher_id, price=b.price) for b in bookings]
    has_paid = Booking.objects.filter(student=student, status__in=PAID_STATUSES).exists()
    quote = price_basket(
        lines,
        candidate_offers(student=student, now=now, entered_code=code),
        PricingContext(now=now, entered_code=code, student_has_paid_lessons=has_paid),
    )
    by_key = {line.key: line for line in quote.lines}
    return Basket(
        lines=[
            BasketLine(
                booking=b,
                priced=by_key[str(b.pk)],
                no_refund=no_refund_if_cancelled(b.starts_at, now=now),
            )
            for b in bookings
        ],
        quote=quote,
        code=code,
    )
