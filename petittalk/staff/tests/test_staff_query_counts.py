"""Each staff page costs the same number of queries however much data there is."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.orders import services as order_services
from petittalk.payments import services as payment_services
from petittalk.payments.tests.factories import PaymentEventFactory
from petittalk.payments.tests.helpers import BILLING, held_lessons
from petittalk.teachers.tests.factories import TeacherProfileFactory
from petittalk.testing.caches import forget_cached_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def paid_order(*prices: str):
    student = StudentFactory()
    held_lessons(student, *prices)
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    payment_services.order_payment_start(order=order)
    order_services.order_mark_paid(order=order)
    order.refresh_from_db()  # the services update the row, not this instance
    return order


def test_the_overview_with_2_or_20_teachers_and_students(staff_client):
    TeacherProfileFactory.create_batch(2, is_published=True)
    StudentFactory.create_batch(2)
    forget_cached_content()
    few = queries(staff_client, "/staff/")
    TeacherProfileFactory.create_batch(18, is_published=False)
    StudentFactory.create_batch(18)
    forget_cached_content()  # the overview keeps its figures a minute; count the work behind it
    response = staff_client.get("/staff/")
    forget_cached_content()
    assert queries(staff_client, "/staff/") == few
    assert response.context["stats"] == {"teachers": 20, "published": 2, "students": 20}


def test_the_teacher_list_with_2_or_20_teachers(staff_client):
    TeacherProfileFactory.create_batch(2)
    few = queries(staff_client, "/staff/teachers/")
    TeacherProfileFactory.create_batch(18)
    assert queries(staff_client, "/staff/teachers/") == few


def test_the_order_list_with_1_or_6_orders(staff_client):
    paid_order("20.00")
    few = queries(staff_client, "/staff/orders/")
    for n in range(5):
        paid_order(f"{21 + n}.00", f"{31 + n}.00")
    assert queries(staff_client, "/staff/orders/") == few


def test_an_order_page_with_1_or_5_lessons_and_events(staff_client):
    small, large = paid_order("20.00"), paid_order("20.00", "21.00", "22.00", "23.00", "24.00")
    PaymentEventFactory(reference=small.payment_reference)
    PaymentEventFactory.create_batch(5, reference=large.payment_reference)
    few = queries(staff_client, f"/staff/orders/{small.number}/")
    response = staff_client.get(f"/staff/orders/{large.number}/")
    assert queries(staff_client, f"/staff/orders/{large.number}/") == few
    assert len(response.context["events"]) == 5
