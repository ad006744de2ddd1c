"""Checkout, payment events and refunds. Only `order_mark_paid` ever marks an order paid."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from petittalk.accounts.models import User
from petittalk.basket.selectors import basket_for
from petittalk.bookings.models import CHECKOUT_HOLD_MINUTES, Booking, BookingStatus
from petittalk.core.money import to_minor_units
from petittalk.offers.pricing import CODE_NOT_COMBINABLE
from petittalk.offers.services import OfferError, offer_redeem, offer_release
from petittalk.orders import notifications
from petittalk.orders.models import Order, OrderLine, OrderStatus, Refund, RefundStatus
from petittalk.payments.gateways import get_gateway
from petittalk.payments.gateways.base import (
    IGNORED,
    PAYMENT_FAILED,
    PAYMENT_SUCCEEDED,
    GatewayError,
    GatewayEvent,
    PaymentStart,
)
from petittalk.payments.models import PaymentEvent
from petittalk.payments.tasks import refund_line_task

logger = logging.getLogger(__name__)


class CheckoutError(Exception):
    """Checkout cannot go on; the message is for the student."""


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
        if (
            code
            and basket.quote.code_status not in ("", "applied")
            and not _code_is_beaten(basket.quote.code_status)
        ):
            raise CheckoutError(basket.quote.code_status)
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
    return order


def _code_is_beaten(status: str) -> bool:
    # The code is valid but a better exclusive offer won: checkout goes on with the better one.
    return status == CODE_NOT_COMBINABLE


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
    order.status = OrderStatus.ABANDONED
    order.save(update_fields=["status", "updated_at"])
    offer_release(order_id=order.pk)


def _new_order(student: User, billing: Billing, basket, now: dt.datetime) -> Order:
    quote = basket.quote
    order = Order.objects.create(
        number=f"new-{secrets.token_hex(8)}",  # replaced by the real number just below
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
    names = {applied.offer_id: applied.name for applied in quote.applied}
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
                {"offer_id": offer_id, "name": names.get(offer_id, ""), "amount": str(amount)}
                for offer_id, amount in line.priced.discounts
            ],
            vat_rate=settings.VAT_RATE,
        )
        for line in basket.lines
    )
    try:
        offer_redeem(
            offer_ids=[applied.offer_id for applied in quote.applied],
            student=student,
            order_id=order.pk,
        )
    except OfferError as exc:
        raise CheckoutError(str(exc)) from exc
    return order


def order_payment_start(*, order: Order) -> PaymentStart:
    """The order's payment at the gateway: created once, then the same one every time."""
    gateway = get_gateway(order.gateway)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != OrderStatus.PENDING:
            raise CheckoutError(f"This order is {order.get_status_display().lower()}.")
        try:
            if order.payment_reference:
                return gateway.resume(order)
            start = gateway.start(order)
        except GatewayError as exc:
            raise CheckoutError(str(exc)) from exc
        order.payment_reference = start.reference
        order.save(update_fields=["payment_reference", "updated_at"])
    return start


# --- payment events -------------------------------------------------------------------------------


def payment_event_receive(*, gateway_name: str, body: bytes, headers: Mapping[str, str]) -> str:
    """Verify, store once, and apply a gateway event. Raises WebhookRejected for a forgery.

    Replays (same event id) are recorded once and do nothing; events may arrive in any order
    and only ever move an order forward.
    """
    event = get_gateway(gateway_name).parse_webhook(body=body, headers=headers)
    try:
        with transaction.atomic():
            record = PaymentEvent.objects.create(
                gateway=gateway_name,
                event_id=event.event_id,
                kind=event.kind,
                reference=event.reference,
                payload=event.payload,
            )
            outcome = _apply_event(gateway_name, event)
            record.outcome = outcome
            record.save(update_fields=["outcome"])
    except IntegrityError:
        return "duplicate"
    return outcome


def _apply_event(gateway_name: str, event: GatewayEvent) -> str:
    if event.kind == IGNORED:
        return "ignored"
    order = (
        Order.objects.select_for_update()
        .filter(gateway=gateway_name, payment_reference=event.reference)
        .first()
    )
    if order is None:
        return "unknown payment"
    if event.amount_cents != to_minor_units(order.total) or event.currency != order.currency:
        logger.warning("Payment event %s does not match order %s", event.event_id, order.number)
        return "amount or currency mismatch"
    if event.kind == PAYMENT_SUCCEEDED:
        return order_mark_paid(order=order)
    if event.kind == PAYMENT_FAILED:
        return order_mark_failed(order=order, message=event.failure_message)
    return "ignored"


@transaction.atomic
def order_mark_paid(*, order: Order, now: dt.datetime | None = None) -> str:
    """The one place an order becomes paid: its lessons go to the teachers, the receipt goes out."""
    from petittalk.bookings.services import BookingError, booking_mark_paid

    now = now or timezone.now()
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status == OrderStatus.PAID:
        return "already paid"
    if order.status == OrderStatus.ABANDONED:
        _redeem_again(order)
    order.status = OrderStatus.PAID
    order.paid_at = now
    order.failure_message = ""
    order.save(update_fields=["status", "paid_at", "failure_message", "updated_at"])
    lost = []
    for line in order.lines.select_related("booking"):
        try:
            booking_mark_paid(booking=line.booking, now=now)
        except BookingError:
            lost.append(line)  # the hold lapsed and the time went to someone else
    notifications.notify_order_paid(order=order)
    for line in lost:
        transaction.on_commit(
            lambda line_id=line.pk: refund_line_task.enqueue(
                line_id=line_id, reason="lesson no longer available"
            )
        )
    return "paid" if not lost else f"paid, {len(lost)} line(s) to refund"


def _redeem_again(order: Order) -> None:
    """A payment for an order replaced by a newer checkout still went through: the student
    paid the discounted price, so the offers count as used again (beyond a limit if need be)."""
    offer_ids = sorted({d["offer_id"] for line in order.lines.all() for d in line.discounts})
    try:
        offer_redeem(offer_ids=offer_ids, student=order.student, order_id=order.pk)
    except OfferError:
        logger.warning("Order %s was paid after its offers ran out", order.number)


@transaction.atomic
def order_mark_failed(*, order: Order, message: str) -> str:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.PENDING:
        return f"left {order.status}"  # a late failure never undoes a payment
    order.status = OrderStatus.FAILED
    order.failure_message = message or "The payment did not go through."
    order.save(update_fields=["status", "failure_message", "updated_at"])
    # Its offer uses stay held: Stripe lets the same payment be retried. The next checkout,
    # if there is one, abandons this order and gives them back.
    return "failed"


# --- refunds --------------------------------------------------------------------------------------


def refund_line(
    *,
    line: OrderLine,
    amount: Decimal,
    reason: str,
    idempotency_key: str,
    created_by: User | None = None,
) -> Refund:
    """Send `amount` of one paid line back through the gateway, once per idempotency key."""
    # The key comes from a form: refuse one the column cannot hold before anything is written.
    if not 0 < len(idempotency_key) <= REFUND_KEY_MAX_LENGTH:
        raise RefundError("This refund form is not valid any more; reload the page.")
    with transaction.atomic():
        line = OrderLine.objects.select_for_update().select_related("order").get(pk=line.pk)
        existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None and existing.status != RefundStatus.FAILED:
            return existing
        if line.order.status != OrderStatus.PAID:
            raise RefundError("Only a paid order can be refunded.")
        already = sum(
            r.amount
            for r in line.refunds.exclude(status=RefundStatus.FAILED).exclude(
                idempotency_key=idempotency_key
            )
        )
        if amount <= 0 or amount > line.total - already:
            raise RefundError(f"At most {line.total - already} can be refunded on this line.")
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
    try:
        reference = get_gateway(line.order.gateway).refund(
            reference=line.order.payment_reference,
            amount_cents=to_minor_units(amount),
            idempotency_key=idempotency_key,
        )
    except GatewayError:
        logger.exception("Refund %s failed at the gateway", idempotency_key)
        Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.FAILED)
        refund.refresh_from_db()
        return refund
    with transaction.atomic():
        Refund.objects.filter(pk=refund.pk).update(
            status=RefundStatus.SUCCEEDED,
            gateway_reference=reference,
            completed_at=timezone.now(),
        )
        refund.refresh_from_db()
        notifications.notify_refund(refund=refund)
    return refund


def refund_for_booking(*, booking_id: int) -> Refund | None:
    """The bookings' refund hook: pay back the lesson's recorded refund intent, if paid online."""
    from petittalk.bookings.models import RefundIntent

    intent = RefundIntent.objects.select_related("booking").filter(booking_id=booking_id).first()
    if intent is None or intent.processed_at is not None:
        return None
    line = (
        OrderLine.objects.select_related("order")
        .filter(booking_id=booking_id, order__status=OrderStatus.PAID)
        .first()
    )
    refund = None
    if line is not None:
        refund = refund_line(
            line=line,
            amount=min(intent.amount, line.total),
            reason=intent.reason,
            idempotency_key=f"refund-booking-{booking_id}",
        )
        if refund.status != RefundStatus.SUCCEEDED:
            return refund  # left unprocessed: the next run tries again with the same key
    RefundIntent.objects.filter(pk=intent.pk).update(processed_at=timezone.now())
    return refund
