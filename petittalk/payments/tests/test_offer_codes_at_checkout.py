"""Offer codes through checkout: a use counts only once an order is paid, a failed or replaced
order gives it back, the basket can drop a code, and receipts name the offer that gave each
discount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.offers.models import OfferKind, OfferRedemption, RedemptionStatus
from petittalk.offers.tests.factories import OfferFactory
from petittalk.orders.models import Order, OrderStatus
from petittalk.payments.tests.helpers import held_lessons

pytestmark = pytest.mark.django_db

BILLING_FORM = {"name": "Sam Taylor", "email": "sam@example.com", "country": "FR"}
GOOD = {"number": "4242 4242 4242 4242", "expiry": "12/40", "cvc": "123"}
DECLINED = {**GOOD, "number": "4000 0000 0000 0002"}


@pytest.fixture
def student():
    return StudentFactory()


@pytest.fixture
def welcome_code():
    """BIENVENUE: 20% off, once per student, as in the demo."""
    return OfferFactory(
        name="Welcome offer",
        code="BIENVENUE",
        kind=OfferKind.PERCENT,
        value=Decimal("20.00"),
        max_uses_per_student=1,
    )


def check_out_and_pay(client, card: dict):
    response = client.post("/checkout/", BILLING_FORM)
    assert response.status_code == 302, response.content[:300]
    card_page = client.get(response.url).url
    return client.post(card_page, card, follow=True)


def test_a_declined_card_leaves_the_code_usable_for_the_next_try(client, student, welcome_code):
    held_lessons(student, "25.00")
    client.force_login(student)
    client.post("/basket/code/", {"code": "bienvenue"})

    declined = check_out_and_pay(client, DECLINED)

    assert "Your card was declined." in declined.text
    basket = client.get("/basket/").text
    assert "already used this code" not in basket
    assert "€20.00" in basket  # still 20% off €25.00
    assert not OfferRedemption.objects.exists()  # the failed order gave its use back
    paid = check_out_and_pay(client, GOOD)
    assert "Merci" in paid.text
    order = Order.objects.get(status=OrderStatus.PAID)
    assert order.total == Decimal("20.00")
    assert list(OfferRedemption.objects.values_list("order_id", "status")) == [
        (order.pk, RedemptionStatus.USED)
    ]


def test_going_back_from_the_card_page_keeps_the_code_applied(client, student, welcome_code):
    held_lessons(student, "25.00")
    client.force_login(student)
    client.post("/basket/code/", {"code": "BIENVENUE"})
    client.post("/checkout/", BILLING_FORM)  # order placed, card page not used

    basket = client.get("/basket/").text

    assert "already used this code" not in basket and "€20.00" in basket
    assert client.post("/checkout/", BILLING_FORM).status_code == 302


def test_staff_see_only_paid_uses_of_an_offer(client, student, welcome_code):
    staff = Client()
    staff.force_login(StaffFactory())
    held_lessons(student, "25.00")
    client.force_login(student)
    client.post("/basket/code/", {"code": "BIENVENUE"})
    client.post("/checkout/", BILLING_FORM)  # awaiting payment: reserved, not used
    assert staff.get("/staff/offers/").context["page"].object_list[0].uses == 0

    check_out_and_pay(client, GOOD)

    assert staff.get("/staff/offers/").context["page"].object_list[0].uses == 1


def test_the_basket_can_remove_a_refused_code_and_check_out_without_it(client, student):
    held_lessons(student, "25.00")
    client.force_login(student)
    client.post("/basket/code/", {"code": "NOSUCH"})
    basket = client.get("/basket/").text
    assert basket.count("This code doesn&#x27;t exist") == 1  # said once, beside the code box
    assert "Remove code NOSUCH" in basket
    blocked = client.post("/checkout/", BILLING_FORM, follow=True)
    assert not Order.objects.exists() and "Remove code NOSUCH" in blocked.text

    client.post("/basket/code/remove/")

    basket = client.get("/basket/").text
    assert "NOSUCH" not in basket and "doesn&#x27;t exist" not in basket
    assert client.post("/checkout/", BILLING_FORM).status_code == 302
    assert Order.objects.get().code == ""


def test_the_receipt_names_the_automatic_offer_not_a_code_that_lost_to_it(client, student):
    OfferFactory(name="Autumn sale", kind=OfferKind.PERCENT, value=Decimal("30.00"))
    OfferFactory(name="Welcome offer", code="BIENVENUE", value=Decimal("20.00"))
    held_lessons(student, "20.00")
    client.force_login(student)
    client.post("/basket/code/", {"code": "BIENVENUE"})

    check_out_and_pay(client, GOOD)

    order = Order.objects.get()
    receipt = client.get(f"/dashboard/orders/{order.number}/").text
    assert "Autumn sale" in receipt and "BIENVENUE" not in receipt
    assert "−€6.00" in receipt


def test_the_receipt_names_a_code_when_the_code_gave_the_discount(client, student, welcome_code):
    held_lessons(student, "20.00")
    client.force_login(student)
    client.post("/basket/code/", {"code": "bienvenue"})

    check_out_and_pay(client, GOOD)

    receipt = client.get(f"/dashboard/orders/{Order.objects.get().number}/").text
    assert "Welcome offer (code BIENVENUE)" in receipt and "−€4.00" in receipt
