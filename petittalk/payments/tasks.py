"""Background work of the payments app: thin wrappers around its services."""

from __future__ import annotations

import logging

from django_tasks import task

from petittalk.payments import services
from petittalk.payments.gateways import get_gateway
from petittalk.payments.gateways.base import GatewayError

logger = logging.getLogger(__name__)


@task()
def refund_booking_task(*, booking_id: int) -> None:
    services.refund_for_booking(booking_id=booking_id)


@task()
def refund_line_task(*, line_id: int, reason: str) -> None:
    services.refund_line_in_full(line_id=line_id, reason=reason)


@task()
def refund_order_task(*, order_id: int) -> None:
    services.order_refund_replaced(order_id=order_id)


@task()
def payment_cancel_task(*, gateway_name: str, reference: str) -> None:
    """Cancel a replaced order's payment at the gateway. If it cannot be cancelled (it went
    through meanwhile), its success event arrives and the payment is sent back in full."""
    try:
        get_gateway(gateway_name).cancel(reference=reference)
    except GatewayError:
        logger.warning("Could not cancel payment %s at %s", reference, gateway_name)
