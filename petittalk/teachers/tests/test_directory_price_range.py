from __future__ import annotations

from decimal import Decimal

import pytest

from petittalk.teachers.selectors import DirectoryFilters, teacher_directory
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


def test_a_reversed_price_range_is_explained_and_does_not_filter(client):
    TeacherProfileFactory(user__display_name="Léa Girard", price_60=Decimal("17.00"))
    TeacherProfileFactory(user__display_name="Thomas Moreau", price_60=Decimal("36.00"))

    response = client.get("/teachers/?min_price=30&max_price=10")

    assert "The maximum must be at least the minimum." in response.text
    listed = sorted(t.user.display_name for t in response.context["page"].object_list)
    assert listed == ["Léa Girard", "Thomas Moreau"]


def test_the_directory_selector_ignores_a_reversed_range_whoever_calls_it():
    TeacherProfileFactory(user__display_name="Léa Girard", price_60=Decimal("17.00"))
    TeacherProfileFactory(user__display_name="Thomas Moreau", price_60=Decimal("36.00"))

    teachers = teacher_directory(DirectoryFilters(min_price=Decimal(30), max_price=Decimal(10)))

    assert teachers.count() == 2
