from __future__ import annotations

from decimal import Decimal

import pytest

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.orders import services as order_services
from petittalk.orders.models import Refund
from petittalk.payments import services
from petittalk.payments.tests.helpers import paid_order

pytestmark = pytest.mark.django_db


def test_a_refund_with_an_81_character_key_is_refused_and_writes_nothing():
    student = StudentFactory()
    order = paid_order(student, "22.00")

    with pytest.raises(order_services.RefundError, match="reload the page"):
        services.refund_line(
            line=order.lines.get(), amount=Decimal("5.00"), reason="x", idempotency_key="k" * 81
        )

    assert not Refund.objects.exists()
