"""Fixtures for the Stripe gateway tests: a localstripe server, Stripe settings, real orders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import stripe
from django.utils import timezone

from petittalk.accounts.models import User
from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.orders.models import Order
from petittalk.orders.services import Billing, checkout_place_order
from petittalk.testing.localstripe import local_stripe_server, register_webhook

STRIPE_SECRET_KEY = "sk_test_petittalk_local"
STRIPE_PUBLISHABLE_KEY = "pk_test_petittalk_local"
STRIPE_WEBHOOK_SECRET = "whsec_test_petittalk_local"
PAYMENT_EVENTS = ["payment_intent.succeeded", "payment_intent.payment_failed"]


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    with local_stripe_server() as url:
        yield url


@pytest.fixture
def stripe_settings(settings, localstripe_url: str):
    """This test's site talks to localstripe as if it were Stripe."""
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = STRIPE_SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = STRIPE_PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe_url
    return settings


@pytest.fixture
def stripe_api(localstripe_url: str) -> stripe.StripeClient:
    """The test's own view of "Stripe", to check what our code did there."""
    return stripe.StripeClient(STRIPE_SECRET_KEY, base_addresses={"api": localstripe_url})


@pytest.fixture
def webhook_to_live_server(localstripe_url: str, live_server) -> Iterator[str]:
    """localstripe delivers signed payment events to this test's live server."""
    webhook_id = register_webhook(
        localstripe_url,
        live_server.url + "/webhooks/stripe/",
        STRIPE_WEBHOOK_SECRET,
        PAYMENT_EVENTS,
    )
    yield webhook_id
    # localstripe cannot delete an endpoint: point it at an event type that never happens, so a
    # late delivery cannot land in the next test's database.
    register_webhook(
        localstripe_url, live_server.url, "unused", ["never.happens"], webhook_id=webhook_id
    )


@pytest.fixture
def place_order(stripe_settings) -> Callable[..., Order]:
    """A pending order for held lessons, made through the real checkout service."""

    def place(*, prices: tuple[str, ...] = ("22.00",), student: User | None = None) -> Order:
        student = student or StudentFactory(display_name="Sam")
        now = timezone.now()
        first = (now + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
        for index, price in enumerate(prices):
            BookingFactory(
                student=student,
                status=BookingStatus.HELD,
                hold_expires_at=now + dt.timedelta(minutes=15),
                starts_at=first + dt.timedelta(hours=2 * index),
                price=Decimal(price),
                teacher__instant_booking=False,
            )
        return checkout_place_order(
            student=student,
            billing=Billing(name="Sam Student", email=student.email, country="FR"),
            code="",
        )

    return place
