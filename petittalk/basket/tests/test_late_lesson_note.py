"""A held lesson starting within 24 hours says, in the basket, that it will not be refundable."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.basket.selectors import basket_for
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
NOTE = "Starts within 24 hours: no refund if cancelled."


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def student():
    return StudentFactory(timezone="Europe/Paris")


def hold(student, starts_in: dt.timedelta):
    return BookingFactory(
        student=student,
        starts_at=NOW + starts_in,
        status=BookingStatus.HELD,
        hold_expires_at=NOW + dt.timedelta(minutes=15),
    )


def test_a_basket_line_knows_whether_its_lesson_is_still_refundable(student):
    soon = hold(student, dt.timedelta(hours=10))
    later = hold(student, dt.timedelta(days=3))

    basket = basket_for(student, code="", now=timezone.now())

    no_refund = {line.booking.pk: line.no_refund for line in basket.lines}
    assert no_refund == {soon.pk: True, later.pk: False}


def test_the_basket_page_tells_the_student_before_they_pay(client, student):
    hold(student, dt.timedelta(hours=10))
    hold(student, dt.timedelta(days=3))
    client.force_login(student)

    page = client.get("/basket/").text

    assert page.count(NOTE) == 1
