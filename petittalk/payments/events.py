"""What the payment services announce once their transaction commits; `receivers.py` turns each
into background work, so the services never import the tasks that call them."""

from django.dispatch import Signal

# gateway_name: str, reference: str — a replaced order's payment must not be completed any more.
payment_replaced = Signal()
# line_id: int, reason: str — a paid lesson could not be booked (its hold lapsed and was taken).
order_line_lost = Signal()
# order_id: int — a payment arrived for an order a newer checkout had replaced.
replaced_order_paid = Signal()
