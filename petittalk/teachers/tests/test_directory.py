from __future__ import annotations

from decimal import Decimal

import pytest

from petittalk.teachers.models import Language
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teachers():
    cheap = TeacherProfileFactory(
        user__display_name="Léa Girard",
        price_60=Decimal("17.00"),
        specialties=["travel"],
        headline="Relaxed conversation from Lille",
    )
    pricey = TeacherProfileFactory(
        user__display_name="Thomas Moreau",
        price_60=Decimal("36.00"),
        specialties=["exam-prep"],
        headline="DELF examiner",
    )
    pricey.languages.set([Language.objects.get(code="de")])
    TeacherProfileFactory(user__display_name="Hidden Hugo", is_published=False)
    return cheap, pricey


def names(response) -> list[str]:
    return [t.user.display_name for t in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Léa Girard", "Thomas Moreau"]),
        ("?specialty=exam-prep", ["Thomas Moreau"]),
        ("?language=de", ["Thomas Moreau"]),
        ("?min_price=20", ["Thomas Moreau"]),
        ("?max_price=20", ["Léa Girard"]),
        ("?q=lille", ["Léa Girard"]),
        ("?q=delf+examiner", ["Thomas Moreau"]),
        ("?sort=price_high", ["Thomas Moreau", "Léa Girard"]),
    ],
)
def test_directory_filters_published_teachers(client, teachers, query, expected):
    response = client.get(f"/teachers/{query}")
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(expected)
    if "sort" in query:
        assert names(response) == expected


@pytest.mark.parametrize(
    "query",
    [
        "?min_price=abc",
        "?max_price=-5",
        "?min_price=30&max_price=10",
        "?specialty=<script>",
        "?page=999",
        "?page=abc",
        "?sort=drop-table",
    ],
)
def test_bad_filters_are_explained_and_never_break_the_page(client, teachers, query):
    response = client.get(f"/teachers/{query}")
    assert response.status_code == 200
    assert "<script>" not in response.text.split("<main", 1)[1].split("</main>")[0].replace(
        "&lt;script&gt;", ""
    )


def test_a_bad_price_shows_its_error_and_the_other_filters_still_apply(client, teachers):
    response = client.get("/teachers/?min_price=abc&specialty=travel")
    assert "Enter a number" in response.text
    assert names(response) == ["Léa Girard"]


def test_pages_of_twelve_keep_the_filters_in_their_links(client):
    TeacherProfileFactory.create_batch(13, specialties=["grammar"])
    first = client.get("/teachers/?specialty=grammar")
    assert len(first.context["page"].object_list) == 12
    assert 'href="?specialty=grammar&amp;page=2"' in first.text
    assert len(client.get("/teachers/?specialty=grammar&page=2").context["page"].object_list) == 1
