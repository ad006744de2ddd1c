"""The Stripe gateway against localstripe: one PaymentIntent per order, refunds, the page's CSP."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.http import HttpResponse
from django.urls import reverse

from petittalk.orders.models import Order, OrderStatus, Refund, RefundStatus
from petittalk.orders.services import CheckoutError, order_mark_paid
from petittalk.payments import csp
from petittalk.payments.gateways import get_gateway
from petittalk.payments.gateways import stripe as stripe_gateway
from petittalk.payments.gateways.base import GatewayError
from petittalk.payments.services import order_payment_start, refund_line
from petittalk.testing.localstripe import intents_for_order, pay_intent
from petittalk.testing.postgres import free_port

pytestmark = pytest.mark.django_db


def test_starting_payment_creates_a_payment_intent_for_the_order_total(place_order, stripe_api):
    order = place_order(prices=("22.00", "18.50"))

    start = order_payment_start(order=order)

    intent = stripe_api.v1.payment_intents.retrieve(start.reference)
    assert intent.amount == 4050
    assert intent.currency == "eur"
    assert intent.metadata.to_dict() == {"order_number": order.number, "order_id": str(order.pk)}
    assert intent.status == "requires_payment_method"
    assert start.client_secret == intent.client_secret
    assert start.redirect_url == ""
    order.refresh_from_db()
    assert order.payment_reference == intent.id


def test_reload_or_second_tab_resumes_the_same_payment_intent(place_order, stripe_api):
    order = place_order()

    first = order_payment_start(order=order)
    again = order_payment_start(order=order)

    assert again.reference == first.reference
    assert again.client_secret == first.client_secret
    assert [i.id for i in intents_for_order(stripe_api, order.number)] == [first.reference]


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_leave_exactly_one_payable_payment_intent(place_order, stripe_api):
    order = place_order()
    workers = 8
    barrier = threading.Barrier(workers)
    references: list[str] = []
    errors: list[BaseException] = []

    def start_payment() -> None:
        try:
            barrier.wait()
            references.append(order_payment_start(order=Order.objects.get(pk=order.pk)).reference)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection; don't leak it

    threads = [threading.Thread(target=start_payment) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    intents = intents_for_order(stripe_api, order.number)
    order.refresh_from_db()
    # No lock is held while Stripe answers: Stripe itself turns the tabs' identical idempotency
    # keys into one PaymentIntent. localstripe ignores those keys and makes one per call, so
    # here the spares must be cancelled, and every tab must pay the one the order keeps.
    payable = [intent for intent in intents if intent.status != "canceled"]
    assert [intent.id for intent in payable] == [order.payment_reference]
    assert set(references) == {order.payment_reference}
    print(f"\nconcurrent starts: {workers} → {len(payable)} payable PaymentIntent at localstripe")


def test_a_visa_payment_succeeds_at_localstripe(place_order, stripe_api):
    order = place_order()
    start = order_payment_start(order=order)

    pay_intent(stripe_api, start.reference, "pm_card_visa")

    intent = stripe_api.v1.payment_intents.retrieve(start.reference)
    assert intent.status == "succeeded"
    assert intent.amount == 2200


def test_refund_reaches_stripe_once_per_idempotency_key(place_order, stripe_api):
    order = place_order(prices=("22.00", "12.00"))
    start = order_payment_start(order=order)
    pay_intent(stripe_api, start.reference, "pm_card_visa")
    order_mark_paid(order=order)  # in production the webhook does this (test_stripe_webhooks)
    line = order.lines.first()

    refunds = [
        refund_line(line=line, amount=Decimal("10.00"), reason="test", idempotency_key="k-1")
        for _ in range(2)
    ]

    assert refunds[0].pk == refunds[1].pk
    assert Refund.objects.filter(order=order).count() == 1
    refund = Refund.objects.get(order=order)
    assert refund.status == RefundStatus.SUCCEEDED
    assert refund.gateway_reference.startswith("re_")
    at_stripe = list(
        stripe_api.v1.refunds.list(params={"payment_intent": start.reference}).auto_paging_iter()
    )
    assert [(r.id, r.amount) for r in at_stripe] == [(refund.gateway_reference, 1000)]


def test_refund_that_stripe_refuses_is_recorded_as_failed(place_order):
    order = place_order()
    order_payment_start(order=order)
    # Paid as far as our records go, but never charged at Stripe: Stripe refuses the refund.
    order_mark_paid(order=order)

    refund = refund_line(
        line=order.lines.first(), amount=Decimal("5.00"), reason="test", idempotency_key="k-2"
    )

    assert refund.status == RefundStatus.FAILED
    assert refund.gateway_reference == ""


def test_gateway_errors_carry_a_message_safe_to_show(stripe_settings, place_order):
    order = place_order()
    stripe_settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # nobody listens

    with pytest.raises(CheckoutError) as caught:
        order_payment_start(order=order)

    assert str(caught.value) == (
        "We couldn't start the card payment. Please try again in a moment."
    )
    order.refresh_from_db()
    assert order.payment_reference == ""
    assert order.status == OrderStatus.PENDING
    with pytest.raises(GatewayError):
        get_gateway("stripe").refund(reference="pi_x", amount_cents=100, idempotency_key="k")


class RecordingPaymentIntents:
    """Stands in for the SDK's PaymentIntent service to see what production would send."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict, dict]] = []

    def create(self, *, params: dict, options: dict):
        self.calls.append((params, options))
        return type("Intent", (), {"id": "pi_recorded", "client_secret": "pi_recorded_secret"})


def test_production_sends_stripes_own_parameters_and_an_idempotency_key(
    stripe_settings, place_order, monkeypatch
):
    order = place_order()
    stripe_settings.STRIPE_API_BASE = ""  # real Stripe: nothing is sent, the client is faked
    recorder = RecordingPaymentIntents()
    fake_client = type("Client", (), {"v1": type("V1", (), {"payment_intents": recorder})})
    monkeypatch.setattr(stripe_gateway.StripeGateway, "client", fake_client)

    start = get_gateway("stripe").start(order)

    [(params, options)] = recorder.calls
    assert params["automatic_payment_methods"] == {"enabled": True}
    assert "payment_method_types" not in params
    assert params["receipt_email"] == order.billing_email
    assert order.number in params["description"]
    assert params["amount"] == 2200 and params["currency"] == "eur"
    assert options["idempotency_key"].startswith(f"order-{order.pk}-")
    assert options["idempotency_key"] == stripe_gateway._start_idempotency_key(order)
    assert start.reference == "pi_recorded"


def test_localstripe_gets_card_only_parameters(stripe_settings, place_order):
    order = place_order()

    assert stripe_gateway._real_stripe_only_params(order) == {"payment_method_types": ["card"]}


# --- the checkout page -----------------------------------------------------------------------


def _stripe_checkout_page(client, place_order) -> tuple[Order, HttpResponse]:
    order = place_order()
    client.force_login(order.student)
    response = client.post(
        reverse("payments:checkout"),
        {"name": "Sam Student", "email": order.student.email, "country": "FR"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("payments:pay", args=[order.number])
    return order, response


def test_checkout_page_mounts_the_payment_element_without_card_fields(client, place_order):
    order, response = _stripe_checkout_page(client, place_order)

    html = response.content.decode()
    order.refresh_from_db()
    assert f'data-client-secret="{order.payment_reference}_secret_' in html
    assert 'data-publishable-key="pk_test_' in html
    return_url = "http://testserver" + reverse("payments:return", args=[order.number])
    assert f'data-return-url="{return_url}"' in html
    assert 'id="payment-element"' in html and 'role="alert"' in html
    assert "<input" not in html.split('id="payment-form"')[1].split("</form>")[0]
    assert '<script src="https://js.stripe.com/v3/"' in html
    assert "/static/payments/stripe-checkout.js" in html
    assert "<script>" not in html  # no inline script: the CSP would block it


def test_checkout_view_lets_the_stripe_page_load_stripe_js(client, place_order):
    # Needs `@allow_stripe_js` on payments.views.checkout.
    _, response = _stripe_checkout_page(client, place_order)

    policy = response["Content-Security-Policy"]
    assert "https://js.stripe.com" in _directive(policy, "script-src")
    assert "https://js.stripe.com" in _directive(policy, "frame-src")
    assert "https://api.stripe.com" in _directive(policy, "connect-src")


def _directive(policy: str, name: str) -> list[str]:
    for part in policy.split(";"):
        tokens = part.split()
        if tokens and tokens[0] == name:
            return tokens[1:]
    return []


def test_allow_stripe_js_widens_only_pages_that_load_stripe_js(rf):
    page = '<script src="https://js.stripe.com/v3/" defer></script>'
    stripe_page = csp.allow_stripe_js(lambda request: HttpResponse(page))(rf.get("/"))
    other_page = csp.allow_stripe_js(lambda request: HttpResponse("<p>Billing</p>"))(rf.get("/"))

    policy = stripe_page["Content-Security-Policy"]
    site = csp.site_policy()
    assert _directive(policy, "script-src") == [
        "'self'",
        "https://js.stripe.com",
        "https://*.js.stripe.com",
    ]
    assert _directive(policy, "connect-src") == ["'self'", "https://api.stripe.com"]
    assert "https://hooks.stripe.com" in _directive(policy, "frame-src")
    assert "https://*.stripe.com" in _directive(policy, "img-src")
    # Everything else stays as strict as the rest of the site.
    for name in ("default-src", "style-src", "form-action", "frame-ancestors", "object-src"):
        assert _directive(policy, name) == _directive(site, name)
    assert _directive(site, "script-src") == ["'self'"]
    assert "Content-Security-Policy" not in other_page  # the middleware's site policy applies
