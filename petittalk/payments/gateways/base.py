"""What every payment gateway offers the rest of Petit Talk (DESIGN.md §4, Payments)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from petittalk.orders.models import Order


class GatewayError(Exception):
    """The gateway refused or failed a request; the message is safe to show."""


class WebhookRejected(Exception):
    """A webhook that is not provably from the gateway (bad or stale signature, bad body)."""


# No real payment comes near this (a million euros); anything larger is a malformed event.
MAX_AMOUNT_CENTS = 100_000_000


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is out of range")
    return value


def strict_json(body: bytes) -> object:
    """JSON as the gateways send it: no NaN or Infinity, no number too big for a float.

    Python's json module accepts all three; PostgreSQL's JSON refuses them, and an amount of
    1e309 becomes infinity. Raises ValueError.
    """
    return json.loads(body, parse_constant=_refuse_constant, parse_float=_finite_float)


def amount_in_cents(value: object) -> int:
    """A payment amount from an event: a whole number of cents within reason, else ValueError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"Amount {value!r} is not a whole number of cents")
    if not 0 <= value <= MAX_AMOUNT_CENTS:
        raise ValueError(f"Amount {value} is out of range")
    return value


# What our pipeline understands, whatever the gateway calls it.
PAYMENT_SUCCEEDED = "payment.succeeded"
PAYMENT_FAILED = "payment.failed"
IGNORED = "ignored"


@dataclass(frozen=True)
class PaymentStart:
    reference: str  # the gateway's id for this order's payment (a PaymentIntent id)
    client_secret: str = ""  # Stripe: handed to the Payment Element
    redirect_url: str = ""  # dummy: our local card page


@dataclass(frozen=True)
class GatewayEvent:
    event_id: str
    kind: str  # PAYMENT_SUCCEEDED, PAYMENT_FAILED or IGNORED
    reference: str = ""
    amount_cents: int | None = None
    currency: str = ""
    failure_message: str = ""
    payload: dict = field(default_factory=dict)


class PaymentGateway(Protocol):
    name: str

    def start(self, order: Order) -> PaymentStart:
        """Create the payment for an order (called at most once per order)."""

    def resume(self, order: Order) -> PaymentStart:
        """The same payment again (a second tab, a reload): never a new one."""

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> GatewayEvent:
        """Verify and translate a webhook; raise WebhookRejected when it is not genuine."""

    def refund(self, *, reference: str, amount_cents: int, idempotency_key: str) -> str:
        """Refund part of a payment; the same key never refunds twice. Returns the refund id."""

    def cancel(self, *, reference: str) -> None:
        """Make a payment that was not completed impossible to complete (a replaced order)."""
