from __future__ import annotations

import factory

from petittalk.accounts.tests.factories import StaffFactory
from petittalk.audit.models import AuditEntry


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """Staff cancelled booking 1, unless told otherwise."""

    class Meta:
        model = AuditEntry

    actor = factory.SubFactory(StaffFactory)
    action = "booking.cancelled"
    object_type = "bookings.booking"
    object_id = "1"
    object_repr = "Booking 1"
    data = factory.LazyFunction(lambda: {"status": {"before": "confirmed", "after": "cancelled"}})
