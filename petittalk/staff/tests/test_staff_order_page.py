"""The staff order page speaks the viewer's time zone everywhere, the refund form included."""

from __future__ import annotations

import zoneinfo

import pytest

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.payments.tests.helpers import paid_order

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_the_refund_form_names_each_lesson_in_the_staff_members_zone(client):
    student = StudentFactory()
    order = paid_order(student, "22.00")
    client.force_login(StaffFactory(timezone="Europe/Paris"))

    response = client.get(f"/staff/orders/{order.number}/")

    field = response.context["form"].fields["line"]
    line = field.queryset.get()
    option = field.label_from_instance(line)
    paris = line.starts_at.astimezone(PARIS)
    assert f"{paris.day} {paris:%b %Y}, {paris:%H:%M} Paris time (CET)" in option
    assert "UTC" not in option
    assert option in response.text.replace("&#x27;", "'")
    assert "<title>Order " + order.number + " · Staff · Petit Talk</title>" in response.text
