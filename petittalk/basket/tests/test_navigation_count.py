"""The navigation's basket count: right where it shows, not counted where it does not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.payments.tests.helpers import held_lessons
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


def basket_counts(client, url: str, **headers) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    counted = [q for q in captured if "COUNT(" in q["sql"] and "hold_expires_at" in q["sql"]]
    return len(counted), response.text


@pytest.fixture
def student(client):
    student = StudentFactory()
    held_lessons(student, "20.00", "22.00")
    client.force_login(student)
    return student


def test_a_full_page_shows_the_students_basket_count_counted_once(client, student):
    counted, page = basket_counts(client, "/teachers/")

    assert counted == 1
    assert '<span id="basket-count" class="basket-count" ' in page
    assert '>2<span class="visually-hidden"> lessons in your basket</span>' in page


def test_a_slot_picker_week_swapped_in_by_htmx_does_not_count_the_basket(client, student):
    teacher = TeacherProfileFactory()

    counted, fragment = basket_counts(client, f"/teachers/{teacher.slug}/slots/", HX_Request="true")

    assert counted == 0
    assert 'id="slot-picker"' in fragment
