from __future__ import annotations

from decimal import Decimal

import pytest

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.orders.models import Refund, RefundStatus
from petittalk.payments.tests.helpers import paid_order

pytestmark = pytest.mark.django_db


def test_a_10000_character_idempotency_key_is_a_form_error_and_refunds_nothing(client):
    student = StudentFactory()
    order = paid_order(student, "22.00")
    client.force_login(StaffFactory())

    response = client.post(
        f"/staff/orders/{order.number}/",
        {
            "line": order.lines.get().pk,
            "amount": "5.00",
            "reason": "late start",
            "idempotency_key": "k" * 10_000,
        },
    )

    assert response.status_code == 200
    assert "This form is out of date: reload the page and try again." in response.text
    assert "Hidden field" not in response.text
    assert not Refund.objects.exists()


def test_a_refund_the_gateway_makes_is_confirmed_in_euros(client):
    student = StudentFactory()
    order = paid_order(student, "22.00")
    client.force_login(StaffFactory())

    response = client.post(
        f"/staff/orders/{order.number}/",
        {"line": order.lines.get().pk, "amount": "5.00", "idempotency_key": "staff-test-1"},
        follow=True,
    )

    assert "Refunded €5.00." in response.text
    refund = Refund.objects.get()
    assert (refund.amount, refund.status) == (Decimal("5.00"), RefundStatus.SUCCEEDED)
