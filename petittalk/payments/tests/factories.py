from __future__ import annotations

import factory

from petittalk.payments.models import PaymentEvent


class PaymentEventFactory(factory.django.DjangoModelFactory):
    """An event the dummy gateway sent about a payment (set `reference` to the order's)."""

    class Meta:
        model = PaymentEvent

    gateway = "dummy"
    event_id = factory.Sequence(lambda n: f"evt_{n:06d}")
    kind = "payment.succeeded"
    reference = ""
    payload = factory.LazyFunction(dict)
    outcome = "paid"
