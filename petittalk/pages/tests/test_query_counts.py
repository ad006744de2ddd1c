"""Every public page costs the same number of queries whatever the number of teachers."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petittalk.teachers.models import Language, Specialty
from petittalk.teachers.tests.factories import TeacherProfileFactory
from petittalk.testing.caches import forget_cached_content

pytestmark = pytest.mark.django_db


def make_teachers(count: int) -> None:
    languages = list(Language.objects.all()[:3])
    for n in range(count):
        teacher = TeacherProfileFactory(is_featured=n % 2 == 0, specialties=None)
        teacher.languages.set(languages)


def queries_for(client, url: str) -> int:
    """The work behind the page: nothing cached (the cache's own queries are not the page's)."""
    forget_cached_content()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len([q for q in captured if not is_cache_storage(q["sql"])])


def is_cache_storage(sql: str) -> bool:
    """The database cache's own reads and writes (a table, savepoints around each write)."""
    return "petittalk_cache" in sql or "SAVEPOINT" in sql


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
    # The id and versions (core/pagecache.py), the profile with languages and specialties,
    # the calendar's version, 3 queries for the free slots, and the reviews (their distribution,
    # and one page of them with their total).
    assert with_three == with_thirty <= 10
    print(f"teacher page: {with_thirty} queries")


@pytest.mark.parametrize(
    ("url", "versions_read"),
    [("/", 1), ("/teachers/", 1), ("/teachers/?sort=price_low", 1), ("/teachers/{slug}/", 1)],
)
def test_a_cached_public_page_costs_only_reading_its_versions(client, url, versions_read):
    make_teachers(3)
    url = url.format(slug=TeacherProfileFactory().slug)
    first = client.get(url)
    client.cookies.clear()  # the next visitor: no cookies at all
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url)
    assert len(captured) == versions_read, [q["sql"] for q in captured]
    assert again.status_code == 200
    assert without_csrf_tokens(again.text) == without_csrf_tokens(first.text)


def without_csrf_tokens(html: str) -> str:
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
