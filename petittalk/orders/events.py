"""What the order services announce once their transaction commits. The payments app, above,
turns each into background work with the gateway (payments/receivers.py, connected in its
`AppConfig.ready`)."""

from django.dispatch import Signal

# gateway_name: str, reference: str — a replaced order's payment must not be completed any more.
order_replaced = Signal()
# line_id: int, reason: str — a paid lesson could not be booked (its hold lapsed and was taken).
order_line_lost = Signal()
# order_id: int — a payment arrived for an order a newer checkout had replaced.
replaced_order_paid = Signal()
