"""Basket → checkout → the dummy card processor → paid, through the real event pipeline."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.bookings import services as booking_services
from petittalk.bookings.models import BookingStatus
from petittalk.orders import services as order_services
from petittalk.orders.models import Order, OrderStatus, Refund
from petittalk.payments import services
from petittalk.payments.gateways import dummy
from petittalk.payments.gateways.base import WebhookRejected
from petittalk.payments.models import PaymentEvent
from petittalk.payments.tests.helpers import BILLING, held_lessons

pytestmark = pytest.mark.django_db

GOOD, DECLINED, NO_FUNDS = "4242 4242 4242 4242", "4000 0000 0000 0002", "4000000000009995"
# 4000 0000 0000 0002 (the declined test card) written in Arabic-Indic digits.
ARABIC_INDIC_DECLINED_CARD = "".join(
    chr(0x0660 + int(c)) if c.isdigit() else c for c in "4000 0000 0000 0002"
)
BILLING_FORM = {"name": "Sam Taylor", "email": "sam@example.com", "country": "FR"}


@pytest.fixture
def student():
    return StudentFactory(timezone="America/New_York")


def card_page_of(client) -> str:
    """Place the order from the billing form and follow it to the dummy processor's card page."""
    response = client.post("/checkout/", BILLING_FORM)
    assert response.status_code == 302, response.content[:500]
    assert response.url.startswith("/checkout/pay/PT-")
    card_page = client.get(response.url).url
    assert card_page.startswith("/checkout/card/dummy_pi_")
    return card_page


def pay(client, student, card=GOOD, expiry="12/40", cvc="123", capture=None):
    card_page = card_page_of(client)
    data = {"number": card, "expiry": expiry, "cvc": cvc}
    if capture is None:
        return client.post(card_page, data)
    with capture(execute=True):
        return client.post(card_page, data)


def test_the_basket_lists_held_lessons_with_totals_and_the_navigation_counts_them(client, student):
    held_lessons(student, "22.00", "14.00")
    client.force_login(student)
    page = client.get("/basket/").text
    assert "€36.00" in page and "Held until" in page
    assert 'id="basket-count"' in page and ">2<" in page
    assert client.get("/basket/count/").text.count(">2<") == 1


def test_checkout_snapshots_the_order_and_holds_the_lessons_for_30_minutes(client, student):
    lessons = held_lessons(student, "22.00", "14.00")
    client.force_login(student)

    client.post("/checkout/", BILLING_FORM)

    order = Order.objects.get()
    assert (order.status, order.total, order.subtotal) == (
        "pending",
        Decimal("36.00"),
        Decimal("36.00"),
    )
    assert order.number.startswith("PT-") and order.lines.count() == 2
    assert str(order.billing_country) == "FR"
    for lesson in lessons:
        lesson.refresh_from_db()
        assert lesson.hold_expires_at >= timezone.now() + dt.timedelta(minutes=29)


def test_paying_twice_from_two_tabs_makes_one_order_with_one_payment(client, student):
    held_lessons(student, "22.00")
    client.force_login(student)
    first = client.post("/checkout/", BILLING_FORM)
    second = client.post("/checkout/", BILLING_FORM)
    assert first.url == second.url
    assert Order.objects.count() == 1


def test_a_good_card_pays_the_order_and_sends_the_lessons_to_the_teachers(
    client, student, mailoutbox, django_capture_on_commit_callbacks
):
    lessons = held_lessons(student, "22.00", "14.00")
    client.force_login(student)

    response = pay(client, student, capture=django_capture_on_commit_callbacks)

    order = Order.objects.get()
    assert response.url == f"/checkout/return/{order.number}/"
    assert order.status == OrderStatus.PAID and order.paid_at
    for lesson in lessons:
        lesson.refresh_from_db()
        assert lesson.status == BookingStatus.REQUESTED
    assert "Merci" in client.get(response.url).text
    assert ">0<" in client.get("/basket/count/").text
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients.count("sam@example.com") == 1  # the receipt
    assert all(lesson.teacher.user.email in recipients for lesson in lessons)
    receipt = next(m for m in mailoutbox if m.to == ["sam@example.com"])
    assert order.number in receipt.subject and "€36.00" in receipt.body


@pytest.mark.parametrize(
    ("card", "message"),
    [(DECLINED, "Your card was declined."), (NO_FUNDS, "Your card has insufficient funds.")],
)
def test_a_refused_card_keeps_the_lessons_in_the_basket_and_says_why(
    client, student, card, message
):
    lessons = held_lessons(student, "22.00")
    client.force_login(student)

    response = pay(client, student, card=card)
    landing = client.get(response.url, follow=True)

    assert message in landing.text
    assert landing.redirect_chain[-1][0] == "/basket/"
    assert Order.objects.get().status == OrderStatus.FAILED
    lessons[0].refresh_from_db()
    assert lessons[0].status == BookingStatus.HELD
    assert "€22.00" in landing.text


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("number", "4242 4242 4242 4241", "not valid"),
        ("number", "abcd", "digits 0–9 only"),
        # Other scripts' digits: "٤٠٠٠…" is the declined test card in Arabic-Indic digits.
        ("number", ARABIC_INDIC_DECLINED_CARD, "digits 0–9 only"),
        ("number", "4242424242424²", "digits 0–9 only"),
        ("number", "4242-4242-4242-4242", "digits 0–9 only"),
        ("expiry", "\u0661\u0662/\u0664\u0660", "MM/YY"),
        ("cvc", "\u0661\u0662\u0663", "3 or 4 digits"),
        ("cvc", "12³", "3 or 4 digits"),
        ("expiry", "13/40", "month"),
        ("expiry", "01/20", "expired"),
        ("cvc", "12", "3 or 4 digits"),
    ],
)
def test_bad_card_details_are_refused_before_any_charge(client, student, field, value, error):
    held_lessons(student, "22.00")
    client.force_login(student)
    card_page = card_page_of(client)
    data = {"number": GOOD, "expiry": "12/40", "cvc": "123", field: value}

    response = client.post(card_page, data)

    assert response.status_code == 200 and error in response.text
    assert Order.objects.get().status == OrderStatus.PENDING
    assert not PaymentEvent.objects.exists()


def test_an_empty_basket_cannot_check_out(client, student):
    client.force_login(student)
    assert client.get("/checkout/").url == "/basket/"
    assert client.post("/checkout/", BILLING_FORM).url == "/basket/"
    assert not Order.objects.exists()


def test_bad_billing_details_are_refused(client, student):
    held_lessons(student, "22.00")
    client.force_login(student)
    response = client.post("/checkout/", {**BILLING_FORM, "country": "XX", "email": "nope"})
    assert response.status_code == 200
    assert not Order.objects.exists()


def test_another_students_order_and_card_page_are_404(client, student):
    held_lessons(student, "22.00")
    client.force_login(student)
    card_page = card_page_of(client)
    order = Order.objects.get()
    client.force_login(StudentFactory())
    assert client.get(card_page).status_code == 404
    assert (
        client.post(card_page, {"number": GOOD, "expiry": "12/40", "cvc": "1"}).status_code == 404
    )
    assert client.get(f"/checkout/return/{order.number}/").status_code == 404
    assert client.get(f"/dashboard/orders/{order.number}/").status_code == 404


def test_a_forged_dummy_event_is_rejected_and_writes_nothing(student):
    held_lessons(student, "22.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    start = services.order_payment_start(order=order)
    body = dummy.event_body(
        reference=start.reference, amount_cents=2200, currency="EUR", failure=""
    )

    with pytest.raises(WebhookRejected):
        services.payment_event_receive(
            gateway_name="dummy", body=body, headers={dummy.SIGNATURE_HEADER: "t=1,v1=deadbeef"}
        )
    stale = dummy.sign(body, timestamp=int(timezone.now().timestamp()) - 3600)
    with pytest.raises(WebhookRejected):
        services.payment_event_receive(
            gateway_name="dummy", body=body, headers={dummy.SIGNATURE_HEADER: stale}
        )
    assert not PaymentEvent.objects.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_replaying_a_success_event_pays_once(
    student, mailoutbox, django_capture_on_commit_callbacks
):
    held_lessons(student, "22.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    start = services.order_payment_start(order=order)
    body = dummy.event_body(
        reference=start.reference, amount_cents=2200, currency="EUR", failure=""
    )
    headers = {dummy.SIGNATURE_HEADER: dummy.sign(body)}

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = [
            services.payment_event_receive(gateway_name="dummy", body=body, headers=headers)
            for _ in range(10)
        ]

    assert outcomes == ["paid"] + ["duplicate"] * 9
    assert PaymentEvent.objects.count() == 1
    assert sum(1 for m in mailoutbox if m.to == [BILLING.email]) == 1  # one receipt


def test_a_tampered_amount_does_not_pay(student):
    held_lessons(student, "22.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    start = services.order_payment_start(order=order)
    body = dummy.event_body(reference=start.reference, amount_cents=100, currency="EUR", failure="")

    outcome = services.payment_event_receive(
        gateway_name="dummy", body=body, headers={dummy.SIGNATURE_HEADER: dummy.sign(body)}
    )

    assert outcome == "amount or currency mismatch"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_a_failure_after_success_does_not_unpay(student):
    held_lessons(student, "22.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    reference = services.order_payment_start(order=order).reference
    for failure in ("", "Your card was declined."):
        body = dummy.event_body(
            reference=reference, amount_cents=2200, currency="EUR", failure=failure
        )
        services.payment_event_receive(
            gateway_name="dummy", body=body, headers={dummy.SIGNATURE_HEADER: dummy.sign(body)}
        )
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def paid_order(student, *prices):
    lessons = held_lessons(student, *prices)
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    services.order_payment_start(order=order)
    order_services.order_mark_paid(order=order)
    return order, lessons


def test_a_declined_lesson_is_refunded_its_line_once(student, django_capture_on_commit_callbacks):
    _, lessons = paid_order(student, "22.00", "14.00")
    teacher = lessons[0].teacher.user

    with django_capture_on_commit_callbacks(execute=True):
        booking_services.booking_decline(booking=lessons[0], by=teacher)

    refund = Refund.objects.get()
    assert refund.amount == Decimal("22.00") and refund.status == "succeeded"
    assert refund.gateway_reference.startswith("dummy_re_")
    services.refund_for_booking(booking_id=lessons[0].pk)
    assert Refund.objects.count() == 1


def test_a_lesson_whose_hold_lapsed_and_was_taken_is_refunded_on_payment(
    student, django_capture_on_commit_callbacks
):
    lessons = held_lessons(student, "22.00", "14.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    services.order_payment_start(order=order)
    lessons[1].status = BookingStatus.EXPIRED
    lessons[1].save()

    with django_capture_on_commit_callbacks(execute=True):
        outcome = order_services.order_mark_paid(order=order)

    assert outcome == "paid, 1 line(s) to refund"
    assert Refund.objects.get().amount == Decimal("14.00")


def test_staff_refund_part_of_a_line_by_hand_and_a_double_submit_refunds_once(client, student):
    order, _ = paid_order(student, "22.00")
    line = order.lines.get()
    client.force_login(StaffFactory())
    page = client.get(f"/staff/orders/{order.number}/")
    assert page.status_code == 200 and order.number in page.text
    key = page.context["form"].initial["idempotency_key"]
    data = {"line": line.pk, "amount": "5.00", "reason": "late start", "idempotency_key": key}

    client.post(f"/staff/orders/{order.number}/", data)
    client.post(f"/staff/orders/{order.number}/", data)

    assert Refund.objects.get().amount == Decimal("5.00")
    too_much = client.post(
        f"/staff/orders/{order.number}/", {**data, "amount": "20.00", "idempotency_key": "other"}
    )
    assert "At most €17.00 can be refunded" in too_much.text
    assert Refund.objects.count() == 1
    receipt = client.get(f"/staff/orders/{order.number}/").text
    assert "late start" in receipt


def test_the_student_sees_orders_and_a_printable_receipt(client, student):
    order, _ = paid_order(student, "22.00")
    client.force_login(student)
    assert order.number in client.get("/dashboard/orders/").text
    receipt = client.get(f"/dashboard/orders/{order.number}/").text
    assert "Receipt" in receipt and "€22.00" in receipt and "data-print" in receipt


def test_payment_events_keep_their_payload(student):
    held_lessons(student, "22.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    reference = services.order_payment_start(order=order).reference
    body = dummy.event_body(reference=reference, amount_cents=2200, currency="EUR", failure="")
    services.payment_event_receive(
        gateway_name="dummy", body=body, headers={dummy.SIGNATURE_HEADER: dummy.sign(body)}
    )
    event = PaymentEvent.objects.get()
    assert event.payload == json.loads(body) and event.reference == reference


def test_a_discounted_multi_line_order_refunds_exactly_the_lines_net_amount(
    student, django_capture_on_commit_callbacks
):
    from petittalk.offers.models import OfferKind
    from petittalk.offers.tests.factories import OfferFactory

    OfferFactory(name="Ten off", kind=OfferKind.FIXED, value=Decimal("10.00"), code="TENOFF")
    lessons = held_lessons(student, "7.33", "3.34", "12.99")
    order = order_services.checkout_place_order(student=student, billing=BILLING, code="tenoff")
    services.order_payment_start(order=order)
    order_services.order_mark_paid(order=order)
    totals = {line.booking_id: line.total for line in order.lines.all()}
    assert sum(totals.values()) == order.total == Decimal("13.66")

    with django_capture_on_commit_callbacks(execute=True):
        booking_services.booking_decline(booking=lessons[1], by=lessons[1].teacher.user)

    refund = Refund.objects.get()
    assert refund.amount == totals[lessons[1].pk] == Decimal("1.93")


def test_a_used_up_code_stops_checkout_with_a_clear_message_and_no_order(client, student):
    from petittalk.offers.tests.factories import OfferFactory, OfferRedemptionFactory

    offer = OfferFactory(name="Once", code="ONCE", max_uses=1)
    OfferRedemptionFactory(offer=offer)
    held_lessons(student, "22.00")
    client.force_login(student)
    client.post("/basket/code/", {"code": "once"})

    response = client.post("/checkout/", BILLING_FORM, follow=True)

    assert "This code has been used up" in response.text
    assert not Order.objects.exists()


def test_lessons_whose_hold_lapsed_before_checkout_are_not_sold(client, student):
    lessons = held_lessons(student, "22.00")
    lessons[0].hold_expires_at = timezone.now() - dt.timedelta(seconds=1)
    lessons[0].save()
    client.force_login(student)
    response = client.post("/checkout/", BILLING_FORM, follow=True)
    assert "Your basket is empty" in response.text
    assert not Order.objects.exists()


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e309", "22.5", "true", '"2200"'])
def test_the_dummy_processor_refuses_an_event_with_an_impossible_amount(amount):
    body = dummy.event_body(reference="dummy_pi_x", amount_cents=0, currency="EUR", failure="")
    body = body.replace(b'"amount": 0', b'"amount": ' + amount.encode())

    with pytest.raises(WebhookRejected, match="Malformed event"):
        services.payment_event_receive(
            gateway_name="dummy", body=body, headers={dummy.SIGNATURE_HEADER: dummy.sign(body)}
        )
    assert not PaymentEvent.objects.exists()


def test_opening_the_payment_page_of_an_order_without_a_payment_writes_nothing(client, student):
    held_lessons(student, "22.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    client.force_login(student)

    page = client.get(f"/checkout/pay/{order.number}/")

    assert page.status_code == 200 and "Continue to payment" in page.text
    order.refresh_from_db()
    assert order.payment_reference == ""
    started = client.post(f"/checkout/pay/{order.number}/")
    order.refresh_from_db()
    assert started.url == f"/checkout/pay/{order.number}/" and order.payment_reference
    assert client.get(started.url).url == f"/checkout/card/{order.payment_reference}/"


def test_checkout_starts_the_payment_so_the_payment_page_only_reads(client, student):
    held_lessons(student, "22.00")
    client.force_login(student)

    client.post("/checkout/", BILLING_FORM)

    order = Order.objects.get()
    assert order.payment_reference.startswith("dummy_pi_")
    updated_at = order.updated_at
    client.get(f"/checkout/pay/{order.number}/")
    order.refresh_from_db()
    assert order.updated_at == updated_at


def test_after_a_declined_card_the_billing_form_keeps_the_details_given(client, student):
    held_lessons(student, "22.00")
    client.force_login(student)
    pay(client, student, card=DECLINED)

    form = client.get("/checkout/").context["form"]

    assert (form.initial["name"], form.initial["email"]) == ("Sam Taylor", "sam@example.com")
    assert str(form.initial["country"]) == "FR"
