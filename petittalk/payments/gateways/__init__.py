"""The payment gateway in use, chosen by settings.PAYMENT_GATEWAY ("dummy" or "stripe")."""

from __future__ import annotations

from django.conf import settings

from petittalk.payments.gateways.base import PaymentGateway


def get_gateway(name: str | None = None) -> PaymentGateway:
    name = name or settings.PAYMENT_GATEWAY
    if name == "dummy":
        from petittalk.payments.gateways.dummy import DummyGateway

        return DummyGateway()
    if name == "stripe":
        from petittalk.payments.gateways.stripe import StripeGateway

        return StripeGateway()
    raise ValueError(f"Unknown payment gateway {name!r}")
