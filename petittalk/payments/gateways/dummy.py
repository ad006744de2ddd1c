"""A local stand-in for a card processor, for the demo and the tests.

It has a card page of its own (Luhn-checked number, expiry, CVC) and answers like a processor:
4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 9995 has
insufficient funds. Its verdict travels as a signed event through the same webhook pipeline as
Stripe's, so the demo and the tests exercise the real code path.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping

from django.conf import settings
from django.urls import reverse

from petittalk.payments.gateways.base import (
    IGNORED,
    PAYMENT_FAILED,
    PAYMENT_SUCCEEDED,
    GatewayEvent,
    PaymentStart,
    WebhookRejected,
    amount_in_cents,
    strict_json,
)

SIGNATURE_HEADER = "Dummy-Signature"
TOLERANCE_SECONDS = 300

DECLINES = {
    "4000000000000002": "Your card was declined.",
    "4000000000009995": "Your card has insufficient funds.",
    "4000000000000069": "Your card has expired.",
}


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in number]
    checksum = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        checksum += digit
    return len(digits) >= 12 and checksum % 10 == 0


def card_verdict(number: str) -> str:
    """ "" when the card is charged, else the decline message a processor would give."""
    return DECLINES.get(number, "")


def _secret() -> bytes:
    return hashlib.sha256(("dummy-gateway:" + settings.SECRET_KEY).encode()).digest()


def sign(body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(_secret(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def event_body(*, reference: str, amount_cents: int, currency: str, failure: str) -> bytes:
    kind = "payment.failed" if failure else "payment.succeeded"
    event = {
        "id": "evt_dummy_" + secrets.token_hex(12),
        "type": kind,
        "data": {
            "reference": reference,
            "amount": amount_cents,
            "currency": currency.lower(),
            "failure_message": failure,
        },
    }
    return json.dumps(event).encode()


class DummyGateway:
    name = "dummy"

    def start(self, order) -> PaymentStart:
        # One payment per order whoever asks, as Stripe does with an idempotency key: two tabs
        # starting at once get the same reference.
        seed = f"{order.pk}:{order.created_at.isoformat()}".encode()
        reference = "dummy_pi_" + hmac.new(_secret(), seed, hashlib.sha256).hexdigest()[:24]
        return PaymentStart(
            reference=reference, redirect_url=reverse("payments:dummy_card", args=[reference])
        )

    def resume(self, order) -> PaymentStart:
        return PaymentStart(
            reference=order.payment_reference,
            redirect_url=reverse("payments:dummy_card", args=[order.payment_reference]),
        )

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> GatewayEvent:
        header = headers.get(SIGNATURE_HEADER, "")
        parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
        try:
            timestamp = int(parts.get("t", ""))
        except ValueError as exc:
            raise WebhookRejected("No valid signature") from exc
        expected = sign(body, timestamp).split("v1=")[1]
        if not hmac.compare_digest(expected, parts.get("v1", "")):
            raise WebhookRejected("Signature does not match")
        if abs(time.time() - timestamp) > TOLERANCE_SECONDS:
            raise WebhookRejected("Signature is too old")
        try:
            event = strict_json(body)
            data = event["data"]
            kinds = {"payment.succeeded": PAYMENT_SUCCEEDED, "payment.failed": PAYMENT_FAILED}
            return GatewayEvent(
                event_id=str(event["id"]),
                kind=kinds.get(event["type"], IGNORED),
                reference=str(data["reference"]),
                amount_cents=amount_in_cents(data["amount"]),
                currency=str(data["currency"]).upper(),
                failure_message=str(data.get("failure_message", ""))[:300],
                payload=event,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise WebhookRejected("Malformed event") from exc

    def cancel(self, *, reference: str) -> None:
        # Nothing to call: the card page refuses an order that is no longer awaiting payment.
        return None

    def refund(self, *, reference: str, amount_cents: int, idempotency_key: str) -> str:
        # Deterministic from the key: asking again with the same key is the same refund.
        return "dummy_re_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:20]
