"""Domain events, from this app and the ones below, turned into background tasks."""

from __future__ import annotations

from petittalk.payments import tasks


def refund_booking(*, booking_id: int, **kwargs) -> None:
    tasks.refund_booking_task.enqueue(booking_id=booking_id)


def cancel_replaced_payment(*, gateway_name: str, reference: str, **kwargs) -> None:
    tasks.payment_cancel_task.enqueue(gateway_name=gateway_name, reference=reference)


def refund_lost_line(*, line_id: int, reason: str, **kwargs) -> None:
    tasks.refund_line_task.enqueue(line_id=line_id, reason=reason)


def refund_replaced_order(*, order_id: int, **kwargs) -> None:
    tasks.refund_order_task.enqueue(order_id=order_id)
