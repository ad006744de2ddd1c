"""Stripe webhooks end to end: real signed deliveries from localstripe, then hand-signed events.

The webhook is the only way an order becomes paid in Stripe mode, so these tests check that it
pays exactly once whatever arrives: replays, bursts, late failures, forgeries, wrong amounts.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter

import pytest
import requests
import stripe
from django.core import mail
from django.urls import reverse

from petittalk.bookings.models import Booking, BookingStatus
from petittalk.core.money import to_minor_units
from petittalk.orders.models import Order, OrderStatus
from petittalk.payments.gateways.base import PAYMENT_FAILED, PAYMENT_SUCCEEDED
from petittalk.payments.models import PaymentEvent
from petittalk.payments.services import order_payment_start
from petittalk.testing.localstripe import (
    pay_intent,
    payment_intent_event,
    signed_event_headers,
    wait_for,
)

WEBHOOK_URL = "/webhooks/stripe/"


def receipts(order: Order) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if f"Receipt for order {order.number}" in m.subject]


def booking_statuses(order: Order) -> set[str]:
    return set(Booking.objects.filter(order_lines__order=order).values_list("status", flat=True))


def order_status(order: Order) -> str:
    return Order.objects.values_list("status", flat=True).get(pk=order.pk)


@pytest.fixture
def started_order(place_order):
    """A pending order with its real PaymentIntent at localstripe."""
    order = place_order(prices=("22.00", "18.00"))
    order_payment_start(order=order)
    order.refresh_from_db()
    return order


def event_for(order: Order, event_type: str = "payment_intent.succeeded", **kwargs) -> dict:
    kwargs.setdefault("amount_cents", to_minor_units(order.total))
    return payment_intent_event(order.payment_reference, event_type=event_type, **kwargs)


def post_signed(client, event: dict, secret: str):
    body, headers = signed_event_headers(event, secret)
    return client.post(
        WEBHOOK_URL,
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": headers["Stripe-Signature"]},
    )


def test_webhook_url_is_the_one_localstripe_is_told():
    assert reverse("payments:stripe_webhook") == WEBHOOK_URL


# --- (a, b) real signed webhooks from localstripe to a live server ---------------------------


@pytest.mark.django_db(transaction=True)
def test_localstripe_success_webhook_pays_the_order(
    started_order, stripe_api, webhook_to_live_server, mailoutbox
):
    order = started_order

    pay_intent(stripe_api, order.payment_reference, "pm_card_visa")

    assert wait_for(lambda: order_status(order) == OrderStatus.PAID), "no webhook arrived"
    assert booking_statuses(order) == {BookingStatus.REQUESTED}
    assert len(receipts(order)) == 1
    event = PaymentEvent.objects.get(reference=order.payment_reference)
    assert (event.kind, event.outcome) == (PAYMENT_SUCCEEDED, "paid")
    assert event.event_id.startswith("evt_")
    assert event.payload["type"] == "payment_intent.succeeded"


@pytest.mark.django_db(transaction=True)
def test_localstripe_declined_card_webhook_fails_the_order(
    started_order, stripe_api, webhook_to_live_server, mailoutbox
):
    order = started_order

    pay_intent(stripe_api, order.payment_reference, "pm_card_chargeCustomerFail")

    assert wait_for(lambda: order_status(order) == OrderStatus.FAILED), "no webhook arrived"
    order.refresh_from_db()
    assert order.failure_message == "Your card was declined."
    assert booking_statuses(order) == {BookingStatus.HELD}
    assert receipts(order) == []
    event = PaymentEvent.objects.get(reference=order.payment_reference)
    assert (event.kind, event.outcome) == (PAYMENT_FAILED, "failed")


# --- (c) hand-signed events --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_replayed_success_event_pays_once_and_sends_one_receipt(
    started_order, stripe_settings, live_server, client, mailoutbox
):
    order = started_order
    secret = stripe_settings.STRIPE_WEBHOOK_SECRET
    body, headers = signed_event_headers(event_for(order), secret)
    burst = 10
    barrier = threading.Barrier(burst)
    answers: list[str] = []  # list.append is atomic; a Counter's += is not

    def deliver() -> None:
        # Real HTTP requests: the threaded live server handles each in its own thread and
        # database connection, so the ten race for the same PaymentEvent row.
        barrier.wait()
        response = requests.post(
            live_server.url + WEBHOOK_URL, data=body, headers=headers, timeout=30
        )
        answers.append(f"{response.status_code} {response.text}")

    threads = [threading.Thread(target=deliver) for _ in range(burst)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    outcomes = Counter(answers)
    for _ in range(10):
        response = client.post(
            WEBHOOK_URL,
            data=body,
            content_type="application/json",
            headers={"Stripe-Signature": headers["Stripe-Signature"]},
        )
        outcomes[f"{response.status_code} {response.content.decode()}"] += 1

    assert outcomes == {"200 paid": 1, "200 duplicate": 19}
    assert PaymentEvent.objects.filter(reference=order.payment_reference).count() == 1
    assert order_status(order) == OrderStatus.PAID
    assert booking_statuses(order) == {BookingStatus.REQUESTED}
    assert len(receipts(order)) == 1
    print(
        f"\nreplays: 10 sequential + {burst} concurrent → {outcomes['200 paid']} paid transition,"
        f" {len(receipts(order))} receipt, "
        f"{PaymentEvent.objects.filter(reference=order.payment_reference).count()} PaymentEvent"
    )


@pytest.mark.django_db(transaction=True)
def test_a_second_distinct_success_event_does_not_pay_twice(
    started_order, stripe_settings, client, mailoutbox
):
    order = started_order
    secret = stripe_settings.STRIPE_WEBHOOK_SECRET

    first = post_signed(client, event_for(order), secret)
    second = post_signed(client, event_for(order), secret)

    assert (first.content, second.content) == (b"paid", b"already paid")
    assert len(receipts(order)) == 1


@pytest.mark.django_db(transaction=True)
def test_failure_after_success_does_not_unpay(started_order, stripe_settings, client, mailoutbox):
    order = started_order
    secret = stripe_settings.STRIPE_WEBHOOK_SECRET

    post_signed(client, event_for(order), secret)
    late = post_signed(
        client,
        event_for(order, "payment_intent.payment_failed", failure="Your card was declined."),
        secret,
    )

    assert late.status_code == 200
    assert late.content == b"left paid"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.failure_message == ""
    assert booking_statuses(order) == {BookingStatus.REQUESTED}
    assert len(receipts(order)) == 1


@pytest.mark.django_db(transaction=True)
def test_failure_then_success_out_of_order_ends_paid(
    started_order, stripe_settings, client, mailoutbox
):
    order = started_order
    secret = stripe_settings.STRIPE_WEBHOOK_SECRET

    failed = post_signed(
        client,
        event_for(order, "payment_intent.payment_failed", failure="Your card was declined."),
        secret,
    )
    assert order_status(order) == OrderStatus.FAILED
    succeeded = post_signed(client, event_for(order), secret)

    assert (failed.content, succeeded.content) == (b"failed", b"paid")
    assert order_status(order) == OrderStatus.PAID
    assert booking_statuses(order) == {BookingStatus.REQUESTED}
    assert len(receipts(order)) == 1


def _forged_wrong_secret(order: Order, secret: str) -> tuple[bytes, dict[str, str]]:
    return signed_event_headers(event_for(order), "whsec_someone_else")


def _stale(order: Order, secret: str) -> tuple[bytes, dict[str, str]]:
    return signed_event_headers(event_for(order), secret, timestamp=int(time.time()) - 301)


def _missing_header(order: Order, secret: str) -> tuple[bytes, dict[str, str]]:
    body, _ = signed_event_headers(event_for(order), secret)
    return body, {}


def _tampered(order: Order, secret: str) -> tuple[bytes, dict[str, str]]:
    body, headers = signed_event_headers(event_for(order, amount_cents=1), secret)
    return body.replace(b'"amount": 1,', b'"amount": 4000,'), headers


def _garbage_unsigned(order: Order, secret: str) -> tuple[bytes, dict[str, str]]:
    return b"\x00not json{", {"Stripe-Signature": "t=garbage,v1=nothing"}


def _garbage_signed(order: Order, secret: str) -> tuple[bytes, dict[str, str]]:
    # Even correctly signed, a body that is not an event is refused, not half-applied.
    from stripe import WebhookSignature

    body = "not json at all"
    return body.encode(), {
        "Stripe-Signature": WebhookSignature.generate_signature_header(body, secret)
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_request",
    [_forged_wrong_secret, _stale, _missing_header, _tampered, _garbage_unsigned, _garbage_signed],
    ids=lambda f: f.__name__.strip("_"),
)
def test_unverifiable_webhooks_are_400_and_write_nothing(
    started_order, stripe_settings, client, make_request
):
    order = started_order
    before = (order.status, order.updated_at, order.paid_at)
    events_before = PaymentEvent.objects.count()
    body, headers = make_request(order, stripe_settings.STRIPE_WEBHOOK_SECRET)
    signature = {"Stripe-Signature": headers["Stripe-Signature"]} if headers else {}

    response = client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers=signature
    )

    assert response.status_code == 400
    assert PaymentEvent.objects.count() == events_before
    order.refresh_from_db()
    assert (order.status, order.updated_at, order.paid_at) == before
    assert booking_statuses(order) == {BookingStatus.HELD}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes", [{"amount_cents": 4001}, {"amount_cents": 3999}, {"currency": "usd"}]
)
def test_success_for_a_different_amount_or_currency_is_stored_but_does_not_pay(
    started_order, stripe_settings, client, changes
):
    order = started_order

    response = post_signed(
        client, event_for(order, **changes), stripe_settings.STRIPE_WEBHOOK_SECRET
    )

    assert response.status_code == 200
    event = PaymentEvent.objects.get(reference=order.payment_reference)
    assert event.outcome == "amount or currency mismatch"
    assert order_status(order) == OrderStatus.PENDING
    assert booking_statuses(order) == {BookingStatus.HELD}


@pytest.mark.django_db
def test_event_for_an_unknown_payment_intent_changes_nothing(
    started_order, stripe_settings, client
):
    order = started_order
    event = payment_intent_event("pi_not_ours", to_minor_units(order.total))

    response = post_signed(client, event, stripe_settings.STRIPE_WEBHOOK_SECRET)

    assert response.status_code == 200
    assert response.content == b"unknown payment"
    assert order_status(order) == OrderStatus.PENDING
    assert booking_statuses(order) == {BookingStatus.HELD}


@pytest.mark.django_db
def test_other_event_types_are_recorded_and_ignored(started_order, stripe_settings, client):
    order = started_order
    event = event_for(order, "payment_intent.created")

    response = post_signed(client, event, stripe_settings.STRIPE_WEBHOOK_SECRET)

    assert (response.status_code, response.content) == (200, b"ignored")
    assert PaymentEvent.objects.get(event_id=event["id"]).kind == "ignored"
    assert order_status(order) == OrderStatus.PENDING


# --- numbers no real event carries -------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "literal"),
    [
        ("amount_received", "1e309"),  # becomes infinity in Python's json
        ("amount_received", "NaN"),
        ("amount_received", "-Infinity"),
        ("amount_received", "2200.5"),
        ("amount_received", "100000000000000000000000"),
        ("amount", "NaN"),
        ("created", "NaN"),  # anywhere in the event, not only in the amounts
    ],
)
@pytest.mark.django_db
def test_a_signed_event_with_impossible_numbers_is_refused_and_writes_nothing(
    started_order, stripe_settings, client, caplog, field, literal
):
    order = started_order
    event = event_for(order)
    marker = "__NUMBER__"
    if field == "created":
        event["created"] = marker
    else:
        event["data"]["object"][field] = marker
    body = json.dumps(event).replace(f'"{marker}"', literal)
    header = stripe.WebhookSignature.generate_signature_header(
        body, stripe_settings.STRIPE_WEBHOOK_SECRET
    )

    with caplog.at_level(logging.WARNING, logger="petittalk.payments.webhooks"):
        response = client.post(
            WEBHOOK_URL,
            data=body.encode(),
            content_type="application/json",
            headers={"Stripe-Signature": header},
        )

    assert response.status_code == 400
    assert "Malformed event" in response.text
    assert not PaymentEvent.objects.exists()
    assert order_status(order) == OrderStatus.PENDING
    assert any("webhook refused" in record.getMessage() for record in caplog.records)
