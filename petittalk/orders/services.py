"""Writes to orders: a checkout makes one from the basket, a payment marks it paid or failed,
refunds are recorded on it. The payments app calls the gateways and brings their answers here;
only `order_mark_paid` ever marks an order paid."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from petittalk.accounts.models import User
from petittalk.audit.services import audit_log
from petittalk.basket.selectors import Basket, basket_for
from petittalk.bookings.models import CHECKOUT_HOLD_MINUTES, Booking, BookingStatus
from petittalk.bookings.services import BookingError, booking_mark_paid
from petittalk.core import versions
from petittalk.core.money import format_money
from petittalk.offers.services import (
    OfferError,
    offer_redeem,
    offer_redemptions_confirm,
    offer_release,
)
from petittalk.orders import events, notifications
from petittalk.orders.models import Order, OrderLine, OrderStatus, Refund, RefundStatus

logger = logging.getLogger(__name__)


class CheckoutError(Exception):
    """Checkout cannot go on; the message is for the student."""


class OrderReplaced(CheckoutError):
    """The order was replaced by a newer checkout and can no longer be paid."""

    def __init__(self, order: Order) -> None:
        super().__init__(
            f"Order {order.number} was replaced by a newer one and can no longer be paid."
        )
        self.order = order


class RefundError(Exception):
    """A refund that cannot be made; the message is for staff."""


REFUND_KEY_MAX_LENGTH = Refund._meta.get_field("idempotency_key").max_length


@dataclass(frozen=True)
class Billing:
    name: str
    email: str
    country: str


# --- checkout -----------------------------------------------------------------------------------


def checkout_place_order(
    *, student: User, billing: Billing, code: str = "", now: dt.datetime | None = None
) -> Order:
    """Snapshot the basket into a pending order and keep its lessons held for 30 minutes.

    A student's checkouts queue on their row lock, so a second tab or a double click finds the
    first order and reuses it (and with it, its one payment) instead of making another.
    """
    now = now or timezone.now()
    with transaction.atomic():
        list(User.objects.select_for_update().filter(pk=student.pk).values_list("pk"))
        basket = basket_for(student, code=code, now=now)
        if basket.is_empty:
            raise CheckoutError("Your basket is empty: the reserved times may have lapsed.")
        if basket.code_refusal:
            raise CheckoutError(basket.code_refusal)
        booking_ids = sorted(line.booking.pk for line in basket.lines)
        order = _reusable_order(student, booking_ids, basket.quote.total)
        if order is None:
            order = _new_order(student, billing, basket, now)
        else:
            order.billing_name, order.billing_email = billing.name, billing.email
            order.billing_country = billing.country
            order.save(update_fields=["billing_name", "billing_email", "billing_country"])
        Booking.objects.filter(pk__in=booking_ids, status=BookingStatus.HELD).update(
            hold_expires_at=Greatest(
                F("hold_expires_at"), now + dt.timedelta(minutes=CHECKOUT_HOLD_MINUTES)
            )
        )
        # No calendar version moves (a bulk update sends no signal) and none needs to: cached
        # free slots are recomputed when a hold they saw would lapse, and then see this longer
        # hold. The student's basket shows it: their scope moves by hand.
        versions.bump([versions.person_scope(student.pk)])
    return order


def _reusable_order(student: User, booking_ids: list[int], total: Decimal) -> Order | None:
    open_orders = Order.objects.filter(
        student=student, status__in=[OrderStatus.PENDING, OrderStatus.FAILED]
    ).prefetch_related("lines")
    reusable = None
    for order in open_orders:
        same_lines = sorted(line.booking_id for line in order.lines.all()) == booking_ids
        if (
            reusable is None
            and order.status == OrderStatus.PENDING
            and same_lines
            and (order.total == total)
        ):
            reusable = order
        else:
            _abandon(order)
    return reusable


def _abandon(order: Order) -> None:
    """A newer checkout replaces this order: it stops being payable at once.

    Its offer reservations go back, and its payment at the gateway is cancelled once this
    transaction commits (a network call has no place under the student's lock). If the payment
    goes through all the same, `order_mark_paid` sends it back in full.
    """
    order.status = OrderStatus.ABANDONED
    order.save(update_fields=["status", "updated_at"])
    offer_release(order_id=order.pk)
    if order.payment_reference:
        transaction.on_commit(
            lambda: events.order_replaced.send(
                sender=Order, gateway_name=order.gateway, reference=order.payment_reference
            )
        )


def _new_order(student: User, billing: Billing, basket: Basket, now: dt.datetime) -> Order:
    quote = basket.quote
    order = Order.objects.create(
        number=f"new-{secrets.token_hex(8)}",  # replaced by the real number just below
        created_at=now,
        student=student,
        billing_name=billing.name,
        billing_email=billing.email,
        billing_country=billing.country,
        subtotal=quote.subtotal,
        discount=quote.discount,
        total=quote.total,
        code=basket.code.upper(),
        gateway=settings.PAYMENT_GATEWAY,
    )
    order.number = f"PT-{now:%Y}-{order.pk:06d}"
    order.save(update_fields=["number"])
    applied = {discount.offer_id: discount for discount in quote.applied}
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            booking=line.booking,
            description=f"{line.booking.duration_minutes}-minute French lesson",
            teacher_name=line.booking.teacher.name,
            starts_at=line.booking.starts_at,
            duration_minutes=line.booking.duration_minutes,
            price=line.priced.price,
            discount=line.priced.discount,
            total=line.priced.total,
            discounts=[
                {
                    "offer_id": offer_id,
                    "name": applied[offer_id].name,
                    "code": applied[offer_id].code,
                    "amount": str(amount),
                }
                for offer_id, amount in line.priced.discounts
            ],
            vat_rate=settings.VAT_RATE,
        )
        for line in basket.lines
    )
    try:
        offer_redeem(
            offer_ids=list(applied),
            student=student,
            order_id=order.pk,
            held_until=now + dt.timedelta(minutes=CHECKOUT_HOLD_MINUTES),
            now=now,
        )
    except OfferError as exc:
        raise CheckoutError(str(exc)) from exc
    return order


def order_payment_reference_set(*, order: Order, reference: str) -> str:
    """Store the gateway's payment for an order awaiting payment, unless one is stored already.

    A conditional update, so the gateway call before it needs no lock: returns the reference
    now stored ("" if the order stopped awaiting payment meanwhile).
    """
    stored = Order.objects.filter(
        pk=order.pk, status=OrderStatus.PENDING, payment_reference=""
    ).update(payment_reference=reference, updated_at=timezone.now())
    if stored:  # a bulk update sends no signal: the student's pages move by hand
        versions.bump([versions.person_scope(order.student_id)])
    return (
        Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING)
        .values_list("payment_reference", flat=True)
        .first()
        or ""
    )


# --- payment outcomes -----------------------------------------------------------------------------


@transaction.atomic
def order_mark_paid(*, order: Order, now: dt.datetime | None = None) -> str:
    """The one place an order becomes paid: its lessons go to the teachers, the receipt goes out.

    A payment for an order that a newer checkout replaced is not a purchase (its lessons belong
    to the newer order): it is recorded and sent back in full, and the student is told.
    """
    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status == OrderStatus.PAID:
        return "already paid"
    if order.status == OrderStatus.ABANDONED:
        return _refund_payment_of_replaced_order(order, now)
    # Teacher by teacher in id order: each lesson's change bumps its teacher's calendar version,
    # and two orders paid at once must take those locks in the same order (core/versions.py).
    lines = list(order.lines.select_related("booking").order_by("booking__teacher_id", "pk"))
    # Every counter this payment moves (the order's and the uses' signals bump the student and
    # OFFER_USES before the lessons bump their teachers), taken at once in lock_order: the later
    # bumps find their rows locked by this transaction already and wait for no one.
    versions.bump(
        [
            *(versions.teacher_scope(line.booking.teacher_id) for line in lines),
            versions.person_scope(order.student_id),
            versions.OFFER_USES,
        ]
    )
    order.status = OrderStatus.PAID
    order.paid_at = now
    order.failure_message = ""
    order.save(update_fields=["status", "paid_at", "failure_message", "updated_at"])
    audit_log(actor=None, action="order.paid", obj=order, data=_payment_data(order))
    offer_redemptions_confirm(
        offer_ids=sorted({d["offer_id"] for line in lines for d in line.discounts}),
        student=order.student,
        order_id=order.pk,
    )
    lost = []
    for line in lines:
        try:
            booking_mark_paid(booking=line.booking, now=now)
        except BookingError:
            lost.append(line)  # the hold lapsed and the time went to someone else
    notifications.notify_order_paid(order=order)
    for line in lost:
        transaction.on_commit(
            lambda line_id=line.pk: events.order_line_lost.send(
                sender=OrderLine, line_id=line_id, reason="lesson no longer available"
            )
        )
    return "paid" if not lost else f"paid, {len(lost)} line(s) to refund"


def _refund_payment_of_replaced_order(order: Order, now: dt.datetime) -> str:
    if order.paid_at is not None:
        return "already refunding"
    order.paid_at = now
    order.save(update_fields=["paid_at", "updated_at"])
    audit_log(actor=None, action="order.paid.replaced", obj=order, data=_payment_data(order))
    logger.warning("Order %s was paid after a newer checkout replaced it", order.number)
    transaction.on_commit(lambda: events.replaced_order_paid.send(sender=Order, order_id=order.pk))
    return "replaced order paid: refunding in full"


@transaction.atomic
def order_mark_failed(*, order: Order, message: str) -> str:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.PENDING:
        return f"left {order.status}"  # a late failure never undoes a payment
    order.status = OrderStatus.FAILED
    order.failure_message = message or "The payment did not go through."
    order.save(update_fields=["status", "failure_message", "updated_at"])
    audit_log(
        actor=None,
        action="order.payment.failed",
        obj=order,
        data={"amount": str(order.total), "message": order.failure_message},
    )
    # The code the student used is theirs again: the next checkout may apply it. Should this
    # same payment still go through (Stripe lets it be retried), paying confirms the use anew.
    offer_release(order_id=order.pk)
    return "failed"


def _payment_data(order: Order) -> dict[str, str]:
    return {
        "amount": str(order.total),
        "gateway": order.gateway,
        "reference": order.payment_reference,
    }


# --- refunds --------------------------------------------------------------------------------------


@transaction.atomic
def refund_record(
    *,
    line: OrderLine,
    amount: Decimal,
    reason: str,
    idempotency_key: str,
    created_by: User | None = None,
) -> tuple[Refund, bool]:
    """Record a refund about to go to the gateway, within what is left on the line.

    Returns the refund and whether the gateway must be asked: a key already used for a refund
    that did not fail returns that refund as it is (a double submit, a retried task).
    """
    # The key comes from a form: refuse one the column cannot hold before anything is written.
    if not 0 < len(idempotency_key) <= REFUND_KEY_MAX_LENGTH:
        raise RefundError("This refund form is not valid any more; reload the page.")
    line = OrderLine.objects.select_for_update().select_related("order").get(pk=line.pk)
    existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None and existing.status != RefundStatus.FAILED:
        return existing, False
    if not line.order.was_charged:
        raise RefundError("Only a paid order can be refunded.")
    left = refundable_left(line, except_key=idempotency_key)
    if left <= 0:
        raise RefundError("This lesson has already been refunded in full.")
    if amount <= 0 or amount > left:
        raise RefundError(f"At most {format_money(left)} can be refunded on this lesson.")
    refund, _ = Refund.objects.update_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "order": line.order,
            "line": line,
            "amount": amount,
            "reason": reason,
            "status": RefundStatus.PENDING,
            "created_by": created_by,
        },
    )
    return refund, True


@transaction.atomic
def refund_record_failed(*, refund: Refund) -> Refund:
    failed = (
        Refund.objects.filter(pk=refund.pk)
        .exclude(status=RefundStatus.SUCCEEDED)
        .update(status=RefundStatus.FAILED)
    )
    refund.refresh_from_db()
    if failed:
        # A bulk update sends no signal: the student's pages move by hand.
        versions.bump([versions.person_scope(refund.order.student_id)])
        _audit_refund(refund, "order.refund.failed")
    return refund


@transaction.atomic
def refund_record_succeeded(*, refund: Refund, gateway_reference: str, notify: bool) -> Refund:
    """The gateway sent the money back: the refund and the order's refunded total say so."""
    completed = (
        Refund.objects.filter(pk=refund.pk)
        .exclude(status=RefundStatus.SUCCEEDED)
        .update(
            status=RefundStatus.SUCCEEDED,
            gateway_reference=gateway_reference,
            completed_at=timezone.now(),
        )
    )
    if completed:  # counted once, even if two workers finish the same refund
        Order.objects.filter(pk=refund.order_id).update(
            amount_refunded=F("amount_refunded") + refund.amount, updated_at=timezone.now()
        )
    refund.refresh_from_db()
    if completed:
        # The bulk updates send no signal: the student's pages move by hand.
        versions.bump([versions.person_scope(refund.order.student_id)])
    if completed:
        # Staff asked for it by hand, or the system did (a declined or cancelled lesson).
        manual = refund.created_by_id is not None
        _audit_refund(refund, "order.refund.manual" if manual else "order.refund")
    if completed and notify:
        notifications.notify_refund(refund=refund)
    return refund


def _audit_refund(refund: Refund, action: str) -> None:
    audit_log(
        actor=refund.created_by,
        action=action,
        obj=refund.order,
        data={
            "amount": str(refund.amount),
            "reason": refund.reason,
            "refund_id": refund.pk,
            "booking_id": refund.line.booking_id,
            "gateway_reference": refund.gateway_reference,
        },
    )


def refundable_left(line: OrderLine, *, except_key: str = "") -> Decimal:
    """What is left to refund on a line: its total less every refund not known to have failed."""
    refunds = line.refunds.exclude(status=RefundStatus.FAILED).exclude(idempotency_key=except_key)
    return line.total - sum((r.amount for r in refunds), Decimal("0.00"))
