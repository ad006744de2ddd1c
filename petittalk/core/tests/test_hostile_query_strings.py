"""Every page that reads its query string answers odd values with a page, never a 500.

NUL characters (PostgreSQL refuses them in text), numbers too big for any column or for
Python's dates, and plain garbage, in each parameter the pages read.
"""

from __future__ import annotations

import pytest

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "\x00",
    "a\x00b",
    "9" * 5000,
    "-1",
    "1e309",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:30:00Z",
    "0001-01-01T00:00:00+01:00",
    "%",
    "é" * 300,
]


@pytest.fixture
def teacher():
    return TeacherProfileFactory(slug="claire", is_published=True)


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize(
    "path, names",
    [
        ("/teachers/", ["q", "specialty", "language", "min_price", "max_price", "sort", "page"]),
        ("/teachers/claire/", ["week", "duration", "start"]),
        ("/book/claire/", ["start", "duration"]),
    ],
)
def test_public_pages_answer_odd_query_values_without_a_500(client, teacher, path, names, value):
    for name in names:
        response = client.get(path, {name: value})
        assert response.status_code < 500, (path, name, value)


@pytest.mark.parametrize("value", ODD_VALUES)
def test_signed_in_pages_answer_odd_query_values_without_a_500(client, teacher, value):
    client.force_login(StudentFactory())
    for path, name in [
        ("/dashboard/orders/", "page"),
        ("/basket/", "page"),
        *(("/dashboard/student/", name) for name in ("upcoming", "awaiting", "past", "cancelled")),
    ]:
        assert client.get(path, {name: value}).status_code < 500, (path, name, value)
    client.force_login(StaffFactory())
    for path, name in [
        ("/staff/bookings/", "status"),
        ("/staff/bookings/", "page"),
        ("/staff/orders/", "page"),
        ("/staff/offers/", "page"),
        ("/staff/teachers/", "page"),
    ]:
        assert client.get(path, {name: value}).status_code < 500, (path, name, value)
