"""What the bookings app announces to the apps above it (DESIGN.md §3, Layers).

Bookings knows the policy (a declined lesson is refunded in full), not the money: it says that a
refund is due, once its transaction commits, and the payments app (connected in its
`AppConfig.ready`) works out what was paid for the lesson and sends that back.
"""

from django.dispatch import Signal

# booking_id: int, reason: str
booking_refund_due = Signal()
