from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "petittalk.payments"
    label = "payments"

    def ready(self) -> None:
        from petittalk.bookings.events import booking_refund_due
        from petittalk.orders import events
        from petittalk.payments import receivers

        # Each receiver only queues this app's own task (DESIGN.md §3, Layers).
        booking_refund_due.connect(receivers.refund_booking, dispatch_uid="payments.refund")
        events.order_replaced.connect(
            receivers.cancel_replaced_payment, dispatch_uid="payments.cancel_replaced"
        )
        events.order_line_lost.connect(receivers.refund_lost_line, dispatch_uid="payments.lost")
        events.replaced_order_paid.connect(
            receivers.refund_replaced_order, dispatch_uid="payments.replaced_paid"
        )
