from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.bookings.models import BookingStatus, RefundIntent
from petittalk.bookings.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db


def test_staff_see_every_booking_filter_by_status_and_cancel_with_a_full_refund(client):
    confirmed = BookingFactory(student__display_name="Nora")
    BookingFactory(status=BookingStatus.DECLINED, student__display_name="Omar")
    client.force_login(StaffFactory())

    assert "Nora" in client.get("/staff/bookings/").text
    declined_only = client.get("/staff/bookings/?status=declined").text
    assert "Omar" in declined_only and "Nora" not in declined_only
    assert client.get("/staff/bookings/?status=<script>").status_code == 200

    client.post(f"/dashboard/lessons/{confirmed.pk}/cancel/")
    confirmed.refresh_from_db()
    assert confirmed.status == BookingStatus.CANCELLED
    assert RefundIntent.objects.get(booking=confirmed).amount == confirmed.price


def test_the_booking_list_costs_the_same_queries_for_3_or_30_bookings(client):
    client.force_login(StaffFactory())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/staff/bookings/")
        return len(captured)

    BookingFactory.create_batch(3)
    few = queries()
    BookingFactory.create_batch(27)
    assert queries() == few


def test_students_cannot_see_the_staff_booking_list(client):
    client.force_login(StudentFactory())
    assert client.get("/staff/bookings/").status_code == 404


def test_only_requested_and_confirmed_lessons_offer_a_cancel_link(client):
    client.force_login(StaffFactory())
    cancellable = [
        BookingFactory(status=BookingStatus.REQUESTED),
        BookingFactory(status=BookingStatus.CONFIRMED),
    ]
    others = [
        BookingFactory(status=status)
        for status in (BookingStatus.DECLINED, BookingStatus.COMPLETED, BookingStatus.CANCELLED)
    ]

    page = client.get("/staff/bookings/").text

    for booking in cancellable:
        assert f"/dashboard/lessons/{booking.pk}/cancel/" in page
    for booking in others:
        assert f"/dashboard/lessons/{booking.pk}/cancel/" not in page
