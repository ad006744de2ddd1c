"""Staff read the audit log: all of it at /staff/audit/, and each order's and lesson's history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.audit.tests.factories import AuditEntryFactory
from petittalk.bookings.services import booking_cancel
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.orders import services as order_services
from petittalk.payments import services as payment_services
from petittalk.payments.tests.helpers import BILLING, held_lessons
from petittalk.teachers.tests.factories import TeacherUserFactory

pytestmark = pytest.mark.django_db
AUDIT = "/staff/audit/"


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(email="ana@petittalk.test"))
    return client


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_audit_page_lists_entries_newest_first_with_who_what_and_amounts(staff_client):
    now = timezone.now()
    AuditEntryFactory(
        action="order.paid",
        actor=None,
        object_type="orders.order",
        object_repr="Order PT-1",
        data={"amount": "22.00"},
        created_at=now - dt.timedelta(hours=1),
    )
    AuditEntryFactory(
        action="order.refund.manual",
        actor__email="bo@petittalk.test",
        object_type="orders.order",
        object_repr="Order PT-1",
        data={"amount": "5.50", "reason": "late"},
        created_at=now,
    )

    text = staff_client.get(AUDIT).text

    assert text.index("Refunded by staff") < text.index("Order paid")
    assert "bo@petittalk.test" in text and "System" in text
    assert "€5.50" in text and "€22.00" in text
    assert "Order PT-1" in text


def test_the_audit_page_filters_by_object(staff_client):
    AuditEntryFactory(object_id="7", data={"reason": "seven"})
    AuditEntryFactory(object_id="8", data={"reason": "eight"})

    text = staff_client.get(AUDIT, {"object_type": "bookings.booking", "object_id": "7"}).text

    assert "seven" in text and "eight" not in text


def test_the_audit_page_filters_by_the_actors_email(staff_client):
    AuditEntryFactory(actor__email="bo@petittalk.test", data={"reason": "by bo"})
    AuditEntryFactory(actor__email="cy@petittalk.test", data={"reason": "by cy"})

    text = staff_client.get(AUDIT, {"actor": "BO@petittalk.test"}).text

    assert "by bo" in text and "by cy" not in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"object_type": "auth.permission"}, "Select a valid choice"),
        ({"object_id": "7"}, "Choose what kind of object"),
        ({"actor": "not an email"}, "Enter a valid email address"),
        ({"object_type": "bookings.booking", "object_id": "x" * 65}, "at most 64 characters"),
    ],
)
def test_a_bad_filter_says_what_is_wrong_and_lists_nothing(staff_client, query, message):
    AuditEntryFactory(data={"reason": "listed"})

    response = staff_client.get(AUDIT, query)

    assert response.status_code == 200
    assert message in response.text
    assert "listed" not in response.text


def test_the_audit_page_costs_the_same_queries_for_3_or_30_entries(staff_client):
    AuditEntryFactory.create_batch(3)
    few = count_queries(staff_client, AUDIT)
    AuditEntryFactory.create_batch(27)
    assert count_queries(staff_client, AUDIT) == few


@pytest.mark.parametrize("path", [AUDIT, "/staff/bookings/{pk}/"])
def test_students_and_teachers_get_a_404_and_visitors_the_login_page(client, path):
    url = path.format(pk=BookingFactory().pk)
    assert client.get(url).status_code == 302
    for user in (StudentFactory(), TeacherUserFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 404


# --- a lesson's page and an order's page ---------------------------------------------------------


def paid_lesson() -> tuple:
    student = StudentFactory()
    [booking] = held_lessons(student, "22.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    payment_services.order_payment_start(order=order)
    order_services.order_mark_paid(order=order)
    booking.refresh_from_db()
    return booking, order


def test_the_staff_booking_page_shows_the_lesson_its_history_and_a_cancel_link(staff_client):
    booking, order = paid_lesson()

    response = staff_client.get(f"/staff/bookings/{booking.pk}/")

    text = response.text
    assert booking.teacher.name in text and booking.student.email in text
    assert "€22.00" in text
    assert "Order paid" in text  # the order that paid for it
    assert order.number in text
    assert f'href="/dashboard/lessons/{booking.pk}/cancel/"' in text


def test_the_booking_page_shows_a_staff_cancellation_and_its_refund(staff_client):
    booking, _ = paid_lesson()
    staff = StaffFactory(email="bo@petittalk.test")
    booking_cancel(booking=booking, by=staff)
    payment_services.refund_for_booking(booking_id=booking.pk)

    text = staff_client.get(f"/staff/bookings/{booking.pk}/").text

    assert text.index("Refunded") < text.index("Lesson cancelled") < text.index("Order paid")
    assert "bo@petittalk.test" in text
    assert "cancel/" not in text  # nothing left to cancel


def test_the_staff_booking_list_links_each_lesson_to_its_page(staff_client):
    booking = BookingFactory()
    assert f'href="/staff/bookings/{booking.pk}/"' in staff_client.get("/staff/bookings/").text


def test_the_booking_page_costs_the_same_queries_for_1_or_10_entries(staff_client):
    booking, _ = paid_lesson()
    url = f"/staff/bookings/{booking.pk}/"
    few = count_queries(staff_client, url)
    AuditEntryFactory.create_batch(9, object_id=str(booking.pk))
    assert count_queries(staff_client, url) == few


def test_the_staff_order_page_shows_the_orders_and_its_lessons_history(staff_client):
    booking, order = paid_lesson()
    payment_services.refund_line(
        line=order.lines.get(),
        amount=Decimal("5.50"),
        reason="teacher was late",
        idempotency_key="staff-x",
        created_by=StaffFactory(email="bo@petittalk.test"),
    )
    booking_cancel(booking=booking, by=booking.student)

    text = staff_client.get(f"/staff/orders/{order.number}/").text

    history = text[text.index("History") :]
    assert history.index("Lesson cancelled") < history.index("Refunded by staff")
    assert history.index("Refunded by staff") < history.index("Order paid")
    assert "bo@petittalk.test" in history and "€5.50" in history
