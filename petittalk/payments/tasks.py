"""Background work of the payments app: thin wrappers around its services."""

from __future__ import annotations

from django_tasks import task

from petittalk.payments import services


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
    services.payment_cancel(gateway_name=gateway_name, reference=reference)
