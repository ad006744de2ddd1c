"""Stripe: one PaymentIntent per order, the Payment Element on our page, signed webhooks.

Card data never reaches our server: the browser hands it to Stripe inside Stripe's iframe, and
we only learn the outcome from a webhook whose signature we check (PCI SAQ A).

Tests run this gateway against localstripe (settings.STRIPE_API_BASE). The few parameters it
does not understand are chosen in one place, `_real_stripe_only_params`, so production always
sends Stripe's own.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import stripe
from django.conf import settings

from petittalk.core.money import to_minor_units
from petittalk.payments.gateways.base import (
    IGNORED,
    PAYMENT_FAILED,
    PAYMENT_SUCCEEDED,
    GatewayError,
    GatewayEvent,
    PaymentStart,
    WebhookRejected,
    amount_in_cents,
    strict_json,
)

if TYPE_CHECKING:
    from petittalk.orders.models import Order

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Stripe-Signature"
# Calls to Stripe happen while the order's row is locked: fail fast rather than hold it a minute.
HTTP_TIMEOUT_SECONDS = 20
# Safe to retry: every write we make carries an idempotency key.
NETWORK_RETRIES = 2

EVENT_KINDS = {
    "payment_intent.succeeded": PAYMENT_SUCCEEDED,
    "payment_intent.payment_failed": PAYMENT_FAILED,
}


@functools.lru_cache(maxsize=4)
def _client_for(api_key: str, api_base: str) -> stripe.StripeClient:
    # One client per configuration: it keeps a (thread-local) HTTP session, so reuse pays off.
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base} if api_base else None,
        http_client=stripe.RequestsClient(timeout=HTTP_TIMEOUT_SECONDS),
        max_network_retries=NETWORK_RETRIES,
    )


def _real_stripe_only_params(order: Order) -> dict[str, Any]:
    """PaymentIntent parameters that differ between Stripe and localstripe (tests only).

    Stripe: the Dashboard decides which payment methods the Payment Element offers, the
    description names the order in the Dashboard, and receipt_email has Stripe send its own
    receipt. localstripe answers 400 "Unexpected ..." to all three, and only knows cards.
    """
    if settings.STRIPE_API_BASE:
        return {"payment_method_types": ["card"]}
    return {
        "automatic_payment_methods": {"enabled": True},
        "description": f"Petit Talk order {order.number}",
        "receipt_email": order.billing_email,
    }


def _start_idempotency_key(order: Order) -> str:
    # Stripe scopes keys to the account, which staging and dev machines may share: the creation
    # time keeps `order 12` of one database from receiving another database's `order 12` intent.
    return f"order-{order.pk}-{order.created_at:%Y%m%d%H%M%S%f}-payment"


class StripeGateway:
    name = "stripe"

    @property
    def client(self) -> stripe.StripeClient:
        return _client_for(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)

    def start(self, order: Order) -> PaymentStart:
        """Create the order's one PaymentIntent (the caller holds the order's row lock)."""
        params: dict[str, Any] = {
            "amount": to_minor_units(order.total),
            "currency": order.currency.lower(),
            "metadata": {"order_number": order.number, "order_id": str(order.pk)},
            **_real_stripe_only_params(order),
        }
        try:
            intent = self.client.v1.payment_intents.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": _start_idempotency_key(order)},
            )
        except stripe.StripeError as exc:
            logger.warning("Stripe: no PaymentIntent for order %s: %r", order.number, exc)
            raise GatewayError(
                "We couldn't start the card payment. Please try again in a moment."
            ) from exc
        return PaymentStart(reference=intent.id, client_secret=intent.client_secret or "")

    def resume(self, order: Order) -> PaymentStart:
        """The order's existing PaymentIntent again (a reload, a second tab): never a new one."""
        try:
            intent = self.client.v1.payment_intents.retrieve(order.payment_reference)
        except stripe.StripeError as exc:
            logger.warning("Stripe: cannot fetch %s: %r", order.payment_reference, exc)
            raise GatewayError(
                "We couldn't reach the card processor. Please try again in a moment."
            ) from exc
        return PaymentStart(reference=intent.id, client_secret=intent.client_secret or "")

    def parse_webhook(self, *, body: bytes, headers: Mapping[str, str]) -> GatewayEvent:
        """Check Stripe's signature (and its 5-minute freshness), then translate the event."""
        signature = headers.get(SIGNATURE_HEADER)
        if not signature:
            raise WebhookRejected("No Stripe signature")
        try:
            event = stripe.Webhook.construct_event(
                body, signature, settings.STRIPE_WEBHOOK_SECRET
            ).to_dict(for_json=True)
        except stripe.SignatureVerificationError as exc:
            raise WebhookRejected("Signature does not match or is too old") from exc
        except (ValueError, TypeError, AttributeError) as exc:
            # Signed but not a Stripe event (not JSON, not an object): nothing we can act on.
            raise WebhookRejected("Malformed event") from exc
        try:
            # Stripe never sends NaN, Infinity or 1e309; the SDK's parser lets them through.
            strict_json(body)
        except ValueError as exc:
            raise WebhookRejected("Malformed event: numbers out of range") from exc
        try:
            return _translate(event)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise WebhookRejected("Malformed event") from exc

    def cancel(self, *, reference: str) -> None:
        """Cancel a PaymentIntent that has not succeeded, so no tab can still pay it."""
        try:
            self.client.v1.payment_intents.cancel(reference)
        except stripe.StripeError as exc:
            # Typically it succeeded or is processing: its webhook will tell us, and a
            # replaced order's payment is then refunded in full.
            logger.warning("Stripe: cannot cancel %s: %r", reference, exc)
            raise GatewayError("The payment could not be cancelled.") from exc

    def refund(self, *, reference: str, amount_cents: int, idempotency_key: str) -> str:
        """Refund part of a PaymentIntent; Stripe answers a repeated key with the same refund."""
        try:
            refund = self.client.v1.refunds.create(
                params={"payment_intent": reference, "amount": amount_cents},
                # Keys are per Stripe account; the intent id makes ours unique across databases.
                options={"idempotency_key": f"{reference}:{idempotency_key}"},
            )
        except stripe.StripeError as exc:
            # The caller logs the failure with its own context; keep Stripe's side of it here.
            logger.warning("Stripe: refund %s on %s refused: %r", idempotency_key, reference, exc)
            detail = exc.user_message or exc.code or type(exc).__name__
            raise GatewayError(f"Stripe refused the refund: {detail}") from exc
        return refund.id


def _translate(event: dict[str, Any]) -> GatewayEvent:
    kind = EVENT_KINDS.get(event["type"], IGNORED)
    if kind == IGNORED:
        return GatewayEvent(event_id=str(event["id"]), kind=IGNORED, payload=event)
    intent = event["data"]["object"]
    amount = intent.get("amount")
    if kind == PAYMENT_SUCCEEDED and intent.get("amount_received") is not None:
        amount = intent["amount_received"]  # what was actually captured
    error = intent.get("last_payment_error") or {}
    return GatewayEvent(
        event_id=str(event["id"]),
        kind=kind,
        reference=str(intent["id"]),
        amount_cents=amount_in_cents(amount),
        currency=str(intent["currency"]).upper(),
        failure_message=str(error.get("message") or "")[:300],
        payload=event,
    )
