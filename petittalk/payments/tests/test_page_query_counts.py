"""Basket, checkout, dashboards and order pages cost the same queries for few or many lines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.orders import services as order_services
from petittalk.payments import services
from petittalk.payments.tests.helpers import BILLING, held_lessons

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/basket/", "/checkout/"])
def test_basket_and_checkout_with_1_or_5_lessons(client, url):
    student = StudentFactory()
    client.force_login(student)
    held_lessons(student, "20.00")
    few = queries(client, url)
    held_lessons(student, "21.00", "22.00", "23.00", "24.00")
    assert queries(client, url) == few


def test_student_dashboard_with_2_or_12_lessons(client):
    student = StudentFactory()
    client.force_login(student)
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)

    def lessons(hours: range) -> None:
        for n in hours:
            BookingFactory(student=student, starts_at=start + dt.timedelta(days=2, hours=n))

    lessons(range(2))
    few = queries(client, "/dashboard/student/")
    lessons(range(2, 12))
    assert queries(client, "/dashboard/student/") == few


def test_order_pages_with_1_or_5_orders(client):
    student = StudentFactory()
    client.force_login(student)

    def paid_order(*prices):
        held_lessons(student, *prices)
        order = order_services.checkout_place_order(student=student, billing=BILLING)
        services.order_payment_start(order=order)
        order_services.order_mark_paid(order=order)
        return order

    first = paid_order("20.00")
    few_list, few_detail = (
        queries(client, "/dashboard/orders/"),
        queries(client, f"/dashboard/orders/{first.number}/"),
    )
    many = [paid_order(f"{20 + n}.00", f"{30 + n}.00") for n in range(4)]
    assert queries(client, "/dashboard/orders/") == few_list
    assert queries(client, f"/dashboard/orders/{many[-1].number}/") == few_detail
    client.force_login(StaffFactory())
    staff_list = queries(client, "/staff/orders/")
    paid_order("40.00")
    assert queries(client, "/staff/orders/") == staff_list


def test_teacher_dashboard_with_2_or_12_lessons(client):
    from petittalk.bookings.models import BookingStatus
    from petittalk.teachers.tests.factories import TeacherProfileFactory

    teacher = TeacherProfileFactory()
    client.force_login(teacher.user)
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    statuses = [BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.COMPLETED]

    def lessons(hours: range) -> None:
        for n in hours:
            day = 2 if statuses[n % 3] != BookingStatus.COMPLETED else -2
            BookingFactory(
                teacher=teacher,
                status=statuses[n % 3],
                starts_at=start + dt.timedelta(days=day, hours=n),
                requested_at=timezone.now(),
            )

    lessons(range(3))
    few = queries(client, "/dashboard/teacher/")
    lessons(range(3, 15))
    assert queries(client, "/dashboard/teacher/") == few
