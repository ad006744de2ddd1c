"""Stripe mode (against localstripe): a replaced order's PaymentIntent is cancelled, and one that
was paid all the same is refunded in full through Stripe, so no lesson is charged twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import stripe
from django.utils import timezone

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.core.money import to_minor_units
from petittalk.orders.models import Order, OrderStatus, RefundStatus
from petittalk.orders.services import Billing, checkout_place_order
from petittalk.payments.services import order_payment_start
from petittalk.testing.localstripe import pay_intent, payment_intent_event, signed_event_headers

pytestmark = pytest.mark.django_db

WEBHOOK_URL = "/webhooks/stripe/"


def hold_another_lesson(student, price: str = "18.00") -> None:
    now = timezone.now()
    BookingFactory(
        student=student,
        status=BookingStatus.HELD,
        hold_expires_at=now + dt.timedelta(minutes=15),
        starts_at=(now + dt.timedelta(days=9)).replace(minute=0, second=0, microsecond=0),
        price=Decimal(price),
        teacher__instant_booking=False,
    )


def check_out_again(student) -> Order:
    return checkout_place_order(
        student=student, billing=Billing(name="Sam", email=student.email, country="FR")
    )


@pytest.fixture
def started_then_replaced(place_order, django_capture_on_commit_callbacks):
    """Order A with its PaymentIntent, then a second checkout with one more lesson (order B)."""
    student = StudentFactory()
    order_a = place_order(prices=("22.00",), student=student)
    intent_id = order_payment_start(order=order_a).reference
    hold_another_lesson(student)

    def replace() -> Order:
        with django_capture_on_commit_callbacks(execute=True):
            return check_out_again(student)

    return order_a, intent_id, replace


def test_replacing_an_order_cancels_its_payment_intent_so_no_tab_can_pay_it(
    started_then_replaced, stripe_api
):
    order_a, intent_id, replace = started_then_replaced

    order_b = replace()

    assert order_b.pk != order_a.pk
    assert Order.objects.get(pk=order_a.pk).status == OrderStatus.ABANDONED
    assert stripe_api.v1.payment_intents.retrieve(intent_id).status == "canceled"
    # The old tab's Payment Element confirming now: Stripe refuses, nothing is captured.
    with pytest.raises(stripe.StripeError):
        pay_intent(stripe_api, intent_id, "pm_card_visa")
    assert stripe_api.v1.payment_intents.retrieve(intent_id).status == "canceled"


def test_a_replaced_order_paid_before_the_cancel_is_refunded_in_full_at_stripe(
    started_then_replaced,
    stripe_api,
    stripe_settings,
    client,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    order_a, intent_id, replace = started_then_replaced
    pay_intent(stripe_api, intent_id, "pm_card_visa")  # the old tab paid a moment earlier
    replace()  # the cancel comes too late: Stripe refuses it, the webhook is on its way
    assert stripe_api.v1.payment_intents.retrieve(intent_id).status == "succeeded"

    event = payment_intent_event(intent_id, amount_cents=to_minor_units(order_a.total))
    body, headers = signed_event_headers(event, stripe_settings.STRIPE_WEBHOOK_SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            WEBHOOK_URL,
            data=body,
            content_type="application/json",
            headers={"Stripe-Signature": headers["Stripe-Signature"]},
        )

    assert response.status_code == 200
    assert response.text == "replaced order paid: refunding in full"
    order_a.refresh_from_db()
    assert order_a.status == OrderStatus.ABANDONED
    assert order_a.amount_refunded == Decimal("22.00") and order_a.payment_state == "Refunded"
    refund = order_a.refunds.get()
    assert refund.status == RefundStatus.SUCCEEDED
    at_stripe = list(
        stripe_api.v1.refunds.list(params={"payment_intent": intent_id}).auto_paging_iter()
    )
    assert [(r.id, r.amount) for r in at_stripe] == [(refund.gateway_reference, 2200)]
    assert any("had been replaced" in m.subject for m in mailoutbox)
