"""The staff order page speaks the viewer's time zone everywhere, the refund form included."""

from __future__ import annotations

import zoneinfo

import pytest

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.orders import services as order_services
from petittalk.payments import services
from petittalk.payments.tests.helpers import BILLING, held_lessons

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_the_refund_form_names_each_lesson_in_the_staff_members_zone(client):
    student = StudentFactory()
    held_lessons(student, "22.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    services.order_payment_start(order=order)
    order_services.order_mark_paid(order=order)
    client.force_login(StaffFactory(timezone="Europe/Paris"))

    response = client.get(f"/staff/orders/{order.number}/")

    field = response.context["form"].fields["line"]
    line = field.queryset.get()
    option = field.label_from_instance(line)
    paris = line.starts_at.astimezone(PARIS)
    assert f"{paris.day} {paris:%b %Y}, {paris:%H:%M} (Europe/Paris, CET)" in option
    assert "UTC" not in option
    assert option in response.text.replace("&#x27;", "'")
    assert "<title>Order " + order.number + " · Staff · Petit Talk</title>" in response.text
