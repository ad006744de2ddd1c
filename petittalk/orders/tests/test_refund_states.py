"""Refunds show in every order record: Paid / Partly refunded / Refunded with the net amount
paid, and staff are offered only what is left to refund, in euros, in their own time zone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.orders import services as order_services
from petittalk.orders.models import Order
from petittalk.payments import services
from petittalk.payments.tests.helpers import paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def student():
    return StudentFactory()


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(timezone="Europe/Paris"))
    return client


def refund(line, amount: str, key: str):
    return services.refund_line(
        line=line, amount=Decimal(amount), reason="by hand", idempotency_key=key
    )


def test_a_fully_refunded_order_reads_refunded_with_nothing_paid(client, student):
    order = paid_order(student, "9.00")
    refund(order.lines.get(), "9.00", "k1")
    client.force_login(student)

    listing = client.get("/dashboard/orders/").text
    receipt = client.get(f"/dashboard/orders/{order.number}/").text

    assert "Refunded" in listing and "net €0.00" in listing
    assert ">Paid<" not in listing
    assert "Net paid" in receipt and "€0.00" in receipt and "Total paid" not in receipt
    order.refresh_from_db()
    assert (order.payment_state, order.net_paid) == ("Refunded", Decimal("0.00"))


def test_a_partly_refunded_order_reads_partly_refunded_with_the_net_amount(client, student):
    order = paid_order(student, "22.00", "14.00")
    refund(order.lines.first(), "5.00", "k1")
    client.force_login(student)

    listing = client.get("/dashboard/orders/").text

    assert "Partly refunded" in listing and "net €31.00" in listing
    order.refresh_from_db()
    assert (order.payment_state, order.amount_refunded) == ("Partly refunded", Decimal("5.00"))


def test_staff_are_not_offered_a_fully_refunded_lesson(staff_client, student):
    order = paid_order(student, "22.00", "14.00")
    done, partly = order.lines.order_by("starts_at")
    refund(done, "22.00", "k1")
    refund(partly, "4.00", "k2")

    form = staff_client.get(f"/staff/orders/{order.number}/").context["form"]

    assert list(form.fields["line"].queryset) == [partly]
    label = form.fields["line"].label_from_instance(form.fields["line"].queryset.get())
    assert "paid €14.00, €10.00 left to refund" in label
    assert "UTC" not in label and "Paris" in label


def test_a_fully_refunded_order_says_so_instead_of_a_refund_form(staff_client, student):
    order = paid_order(student, "9.00")
    refund(order.lines.get(), "9.00", "k1")

    page = staff_client.get(f"/staff/orders/{order.number}/").text

    assert "refunded in full" in page and 'name="amount"' not in page
    assert "At most" not in page


def test_refunding_too_much_says_what_is_left_in_euros(staff_client, student):
    order = paid_order(student, "22.00")
    line = order.lines.get()
    refund(line, "5.00", "k1")
    key = (
        staff_client.get(f"/staff/orders/{order.number}/")
        .context["form"]
        .initial["idempotency_key"]
    )

    page = staff_client.post(
        f"/staff/orders/{order.number}/",
        {"line": line.pk, "amount": "20.00", "reason": "", "idempotency_key": key},
    ).text

    assert "At most €17.00 can be refunded on this lesson." in page
    assert Order.objects.get().amount_refunded == Decimal("5.00")


def test_the_refund_service_refuses_a_fully_refunded_line_clearly(student):
    order = paid_order(student, "9.00")
    line = order.lines.get()
    refund(line, "9.00", "k1")

    with pytest.raises(order_services.RefundError, match="already been refunded in full"):
        refund(line, "0.01", "k2")
