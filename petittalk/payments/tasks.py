from __future__ import annotations

from django_tasks import task


@task()
def refund_booking_task(*, booking_id: int) -> None:
    from petittalk.payments.services import refund_for_booking

    refund_for_booking(booking_id=booking_id)


@task()
def refund_line_task(*, line_id: int, reason: str) -> None:
    from petittalk.orders.models import OrderLine
    from petittalk.payments.services import refund_line

    line = OrderLine.objects.get(pk=line_id)
    refund_line(
        line=line, amount=line.total, reason=reason, idempotency_key=f"refund-line-{line_id}"
    )
