"""Every public page costs the same number of queries whatever the number of teachers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petittalk.teachers.models import Language, Specialty
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


def make_teachers(count: int) -> None:
    languages = list(Language.objects.all()[:3])
    for n in range(count):
        teacher = TeacherProfileFactory(is_featured=n % 2 == 0, specialties=None)
        teacher.languages.set(languages)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    ["/", "/teachers/", "/teachers/?specialty=grammar&language=ar&min_price=5&sort=price_low"],
)
def test_list_pages_issue_the_same_queries_with_3_and_30_teachers(client, url):
    make_teachers(3)
    with_three = queries_for(client, url)
    make_teachers(27)
    with_thirty = queries_for(client, url)
    assert with_three == with_thirty
    print(f"{url}: {with_thirty} queries")


def test_teacher_page_issues_the_same_queries_with_3_and_30_teachers(client):
    make_teachers(3)
    first = TeacherProfileFactory(
        specialties=list(Specialty.objects.values_list("slug", flat=True))
    )
    with_three = queries_for(client, f"/teachers/{first.slug}/")
    make_teachers(27)
    with_thirty = queries_for(client, f"/teachers/{first.slug}/")
    assert with_three == with_thirty <= 6  # profile, languages, specialties + 3 for free slots
    print(f"teacher page: {with_thirty} queries")
