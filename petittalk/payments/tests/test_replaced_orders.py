"""A student is never charged twice for one lesson, whatever old tabs do (dummy gateway).

The story of every test: the student checks out (order A), adds a lesson, checks out again
(order B). A is replaced: its card page must refuse, and a payment that still reaches us for it
goes straight back, in full, with an email saying why.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.core.money import to_minor_units
from petittalk.orders.models import Order, OrderStatus, Refund
from petittalk.payments import services
from petittalk.payments.gateways import dummy
from petittalk.payments.models import PaymentEvent
from petittalk.payments.tests.helpers import held_lessons

pytestmark = pytest.mark.django_db

BILLING_FORM = {"name": "Sam Taylor", "email": "sam@example.com", "country": "FR"}
GOOD_CARD = {"number": "4242 4242 4242 4242", "expiry": "12/40", "cvc": "123"}


@pytest.fixture
def student():
    return StudentFactory(timezone="Europe/Paris")


def check_out(client) -> tuple[Order, str]:
    """The billing form, then the payment page: the order placed and its card page's URL."""
    response = client.post("/checkout/", BILLING_FORM)
    assert response.status_code == 302, response.content[:300]
    order = Order.objects.get(number=response.url.split("/")[-2])
    card_page = client.get(response.url).url
    assert card_page.startswith("/checkout/card/dummy_pi_")
    return order, card_page


def deliver_success(order: Order) -> str:
    """The processor's signed success event for this order's payment, as its card page sends."""
    order.refresh_from_db()
    body = dummy.event_body(
        reference=order.payment_reference,
        amount_cents=to_minor_units(order.total),
        currency=order.currency,
        failure="",
    )
    return services.payment_event_receive(
        gateway_name="dummy", body=body, headers={dummy.SIGNATURE_HEADER: dummy.sign(body)}
    )


def net_charged_per_lesson(student) -> dict[int, Decimal]:
    """For each of the student's lessons: what its order lines took, less what went back."""
    charged: dict[int, Decimal] = {}
    for booking in Booking.objects.filter(student=student):
        paid = Decimal("0.00")
        for line in booking.order_lines.select_related("order"):
            if line.order.paid_at is not None:
                refunded = line.refunds.filter(status="succeeded").aggregate(s=Sum("amount"))["s"]
                paid += line.total - (refunded or 0)
        charged[booking.pk] = paid
    return charged


@pytest.fixture
def replaced(client, student):
    """Order A's card page still open in a tab, after the student checked out again (B)."""
    first = held_lessons(student, "22.00")
    client.force_login(student)
    order_a, card_page_a = check_out(client)
    held_lessons(student, "18.00")
    order_b, card_page_b = check_out(client)
    assert order_a.pk != order_b.pk
    return {"a": order_a, "card_a": card_page_a, "b": order_b, "card_b": card_page_b, "l": first}


def test_the_replaced_orders_card_page_refuses_and_links_to_the_current_order(client, replaced):
    page = client.get(replaced["card_a"])

    assert page.status_code == 409
    assert "replaced by a newer one" in page.text
    assert f'href="/checkout/pay/{replaced["b"].number}/"' in page.text
    assert Order.objects.get(pk=replaced["a"].pk).status == OrderStatus.ABANDONED


def test_paying_from_the_replaced_orders_old_tab_charges_nothing(client, student, replaced):
    response = client.post(replaced["card_a"], GOOD_CARD)

    assert response.status_code == 409 and "can no longer be paid" in response.text
    assert not PaymentEvent.objects.exists()
    order_a = Order.objects.get(pk=replaced["a"].pk)
    assert order_a.paid_at is None and order_a.status == OrderStatus.ABANDONED
    # The current order still pays normally, and each lesson is charged exactly once.
    client.post(replaced["card_b"], GOOD_CARD)
    assert Order.objects.get(pk=replaced["b"].pk).status == OrderStatus.PAID
    assert sorted(net_charged_per_lesson(student).values()) == [Decimal("18.00"), Decimal("22.00")]


def test_the_replaced_orders_payment_and_return_pages_say_it_was_replaced(client, replaced):
    for url in (
        f"/checkout/pay/{replaced['a'].number}/",
        f"/checkout/return/{replaced['a'].number}/",
    ):
        page = client.get(url)
        assert page.status_code == 409 and "replaced by a newer one" in page.text


def test_a_late_payment_for_a_replaced_order_is_refunded_in_full_and_the_student_told(
    client, student, replaced, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(replaced["card_b"], GOOD_CARD)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = deliver_success(replaced["a"])

    assert outcome == "replaced order paid: refunding in full"
    order_a = Order.objects.get(pk=replaced["a"].pk)
    assert order_a.status == OrderStatus.ABANDONED and order_a.paid_at is not None
    assert order_a.amount_refunded == order_a.total == Decimal("22.00")
    assert order_a.payment_state == "Refunded" and order_a.net_paid == Decimal("0.00")
    refund = Refund.objects.get(order=order_a)
    assert (refund.amount, refund.status) == (Decimal("22.00"), "succeeded")
    told = [m for m in mailoutbox if "had been replaced" in m.subject]
    assert len(told) == 1 and "€22.00" in told[0].body and order_a.number in told[0].body
    # The lessons stay with the newer, paid order; each was charged once in all.
    assert set(Booking.objects.filter(student=student).values_list("status", flat=True)) == {
        BookingStatus.REQUESTED
    }
    assert sorted(net_charged_per_lesson(student).values()) == [Decimal("18.00"), Decimal("22.00")]


def test_a_replayed_late_payment_is_refunded_once(
    replaced, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver_success(replaced["a"])
        deliver_success(replaced["a"])

    assert Refund.objects.filter(order=replaced["a"]).count() == 1
    assert Order.objects.get(pk=replaced["a"].pk).amount_refunded == Decimal("22.00")
    assert len([m for m in mailoutbox if "had been replaced" in m.subject]) == 1


def test_two_tabs_paying_the_same_order_charge_once(client, student):
    held_lessons(student, "22.00")
    client.force_login(student)
    order, card_page = check_out(client)
    again, card_page_again = check_out(client)  # the second tab's checkout reuses the order
    assert (again.pk, card_page_again) == (order.pk, card_page)

    client.post(card_page, GOOD_CARD)
    second = client.post(card_page_again, GOOD_CARD)

    assert second.status_code == 302 and second.url == f"/checkout/return/{order.number}/"
    assert PaymentEvent.objects.count() == 1
    assert list(net_charged_per_lesson(student).values()) == [Decimal("22.00")]
