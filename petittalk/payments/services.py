"""Payments: starting the gateway's payment for an order, the gateway's events, and refunds sent
through the gateway. Every gateway call happens outside database transactions; what it answers
is written by the orders' services (`orders.services`), where order state lives."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from petittalk.accounts.models import User
from petittalk.bookings.models import RefundIntent
from petittalk.core.money import to_minor_units
from petittalk.orders import notifications
from petittalk.orders.models import Order, OrderLine, OrderStatus, Refund, RefundStatus
from petittalk.orders.selectors import paid_line_for
from petittalk.orders.services import (
    CheckoutError,
    OrderReplaced,
    order_mark_failed,
    order_mark_paid,
    order_payment_reference_set,
    refund_record,
    refund_record_failed,
    refund_record_succeeded,
    refundable_left,
)
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

logger = logging.getLogger(__name__)


def order_payment_start(*, order: Order) -> PaymentStart:
    """The order's payment at the gateway: created once, then the same one every time.

    No lock is held while the gateway answers (Stripe may take seconds, and on SQLite a lock
    would stop every writer). Two tabs starting at once send the same idempotency key, so the
    gateway answers both with one payment; the conditional update keeps the first reference
    stored, and a payment a gateway made twice all the same is cancelled.
    """
    gateway = get_gateway(order.gateway)
    order = Order.objects.get(pk=order.pk)
    _check_payable(order)
    try:
        if order.payment_reference:
            return gateway.resume(order)
        start = gateway.start(order)
    except GatewayError as exc:
        raise CheckoutError(str(exc)) from exc
    stored = order_payment_reference_set(order=order, reference=start.reference)
    if stored == start.reference:
        return start
    payment_cancel(gateway_name=order.gateway, reference=start.reference)
    order.refresh_from_db()
    _check_payable(order)
    try:
        return gateway.resume(order)
    except GatewayError as exc:
        raise CheckoutError(str(exc)) from exc


def order_payment_resume(*, order: Order) -> PaymentStart:
    """The payment already started for an order (a reload, another tab): reads only."""
    order = Order.objects.get(pk=order.pk)
    _check_payable(order)
    try:
        return get_gateway(order.gateway).resume(order)
    except GatewayError as exc:
        raise CheckoutError(str(exc)) from exc


def _check_payable(order: Order) -> None:
    if order.status == OrderStatus.ABANDONED:
        raise OrderReplaced(order)
    if order.status != OrderStatus.PENDING:
        raise CheckoutError(f"This order is {order.get_status_display().lower()}.")


def payment_cancel(*, gateway_name: str, reference: str) -> None:
    """Cancel a payment nobody may complete (a spare one, a replaced order's). If it cannot be
    cancelled (it went through meanwhile), its success event arrives and, for a replaced order,
    the payment is sent back in full."""
    try:
        get_gateway(gateway_name).cancel(reference=reference)
    except GatewayError:
        logger.warning("Could not cancel payment %s at %s", reference, gateway_name)


# --- payment events -------------------------------------------------------------------------------


def payment_event_receive(
    *,
    gateway_name: str,
    body: bytes,
    headers: Mapping[str, str],
    now: dt.datetime | None = None,
) -> str:
    """Verify, store once, and apply a gateway event. Raises WebhookRejected for a forgery.

    Replays (same event id) are recorded once and do nothing; events may arrive in any order
    and only ever move an order forward. `now` is when the payment counts as made (the demo
    seeds past payments); it defaults to the present.
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
            outcome = _apply_event(gateway_name, event, now=now)
            record.outcome = outcome
            record.save(update_fields=["outcome"])
    except IntegrityError:
        if PaymentEvent.objects.filter(gateway=gateway_name, event_id=event.event_id).exists():
            return "duplicate"
        raise
    return outcome


def _apply_event(gateway_name: str, event: GatewayEvent, *, now: dt.datetime | None) -> str:
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
        return order_mark_paid(order=order, now=now)
    if event.kind == PAYMENT_FAILED:
        return order_mark_failed(order=order, message=event.failure_message)
    return "ignored"


# --- refunds --------------------------------------------------------------------------------------


def refund_line(
    *,
    line: OrderLine,
    amount: Decimal,
    reason: str,
    idempotency_key: str,
    created_by: User | None = None,
    notify: bool = True,
) -> Refund:
    """Send `amount` of one charged line back through the gateway, once per idempotency key.

    Recorded first, then the gateway is called outside any transaction, then its answer is
    recorded; the idempotency key makes a retry after a crash safe at the gateway too.
    """
    refund, ask_gateway = refund_record(
        line=line,
        amount=amount,
        reason=reason,
        idempotency_key=idempotency_key,
        created_by=created_by,
    )
    if not ask_gateway:
        return refund
    order = refund.order
    try:
        reference = get_gateway(order.gateway).refund(
            reference=order.payment_reference,
            amount_cents=to_minor_units(amount),
            idempotency_key=idempotency_key,
        )
    except GatewayError:
        logger.exception("Refund %s failed at the gateway", idempotency_key)
        return refund_record_failed(refund=refund)
    return refund_record_succeeded(refund=refund, gateway_reference=reference, notify=notify)


def refund_line_in_full(*, line_id: int, reason: str) -> Refund | None:
    """Refund what is left on a line (a lesson lost after payment): None if nothing is left."""
    line = OrderLine.objects.get(pk=line_id)
    left = refundable_left(line, except_key=f"refund-line-{line_id}")
    if left <= 0:
        return None
    return refund_line(
        line=line, amount=left, reason=reason, idempotency_key=f"refund-line-{line_id}"
    )


def order_refund_replaced(*, order_id: int) -> list[Refund]:
    """Send back everything paid for an order that a newer checkout had replaced, then tell the
    student once. Safe to run again: each line's refund has its own idempotency key."""
    order = Order.objects.get(pk=order_id)
    refunds = []
    for line in order.lines.all():
        left = refundable_left(line, except_key=f"refund-replaced-{line.pk}")
        if left > 0:
            refunds.append(
                refund_line(
                    line=line,
                    amount=left,
                    reason="paid after the order was replaced",
                    idempotency_key=f"refund-replaced-{line.pk}",
                    notify=False,
                )
            )
    if refunds and all(r.status == RefundStatus.SUCCEEDED for r in refunds):
        order.refresh_from_db()
        notifications.notify_replaced_order_refunded(order=order, refunds=refunds)
    return refunds


def refund_for_booking(*, booking_id: int) -> Refund | None:
    """The bookings' refund hook: pay back the lesson's recorded refund intent, if paid online."""
    intent = RefundIntent.objects.select_related("booking").filter(booking_id=booking_id).first()
    if intent is None or intent.processed_at is not None:
        return None
    line = paid_line_for(intent.booking)
    refund = None
    key = f"refund-booking-{booking_id}"
    # Staff may have refunded (part of) the lesson by hand already: send back only the rest.
    amount = min(intent.amount, refundable_left(line, except_key=key)) if line else Decimal(0)
    if amount > 0:
        refund = refund_line(line=line, amount=amount, reason=intent.reason, idempotency_key=key)
        if refund.status != RefundStatus.SUCCEEDED:
            return refund  # left unprocessed: the next run tries again with the same key
    RefundIntent.objects.filter(pk=intent.pk).update(processed_at=timezone.now())
    return refund
