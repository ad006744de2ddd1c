"""The dashboards show a page of each list: ten times the history costs the same queries and
renders the same rows, and the pages of each list can be walked through."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.core import versions
from petittalk.core.timefmt import format_date
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def add_lessons(*, student, teacher, status, first: dt.datetime, count: int, step=2 * HOUR):
    """`count` lessons `step` apart from `first` on (never overlapping), in one insert."""
    now = timezone.now()
    Booking.objects.bulk_create(
        BookingFactory.build(
            student=student,
            teacher=teacher,
            status=status,
            starts_at=first + n * step,
            requested_at=now,
            hold_expires_at=now + 15 * dt.timedelta(minutes=1),
        )
        for n in range(count)
    )
    # A bulk insert sends no signal: the versions the site's writers move, moved by hand, so the
    # next look renders the page afresh (core/versions.py).
    versions.bump([versions.teacher_scope(teacher.pk), versions.person_scope(student.pk)])


def get_page(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.text


def rows(html: str, css_class: str = "lesson") -> int:
    return html.count(f'class="{css_class}"')


@pytest.fixture
def student(client):
    student = StudentFactory()
    client.force_login(student)
    return student


@pytest.fixture
def teacher():
    return TeacherProfileFactory()


def student_history(student, teacher, *, each: int, offset: int = 0) -> None:
    """`each` lessons in every list of the student's dashboard (`offset`: after those made)."""
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    days = dt.timedelta(days=1)
    for status, first in (
        (BookingStatus.HELD, start + 2 * days),
        (BookingStatus.CONFIRMED, start + 40 * days),
        (BookingStatus.REQUESTED, start + 80 * days),
        (BookingStatus.COMPLETED, start - 40 * days),
        (BookingStatus.CANCELLED, start - 80 * days),
    ):
        add_lessons(
            student=student,
            teacher=teacher,
            status=status,
            first=first + offset * 2 * HOUR,
            count=each,
        )


def test_the_student_dashboard_costs_the_same_with_12_or_120_lessons_in_each_list(
    client, student, teacher
):
    student_history(student, teacher, each=12)
    queries_1x, page_1x = get_page(client, "/dashboard/student/")
    student_history(student, teacher, each=108, offset=12)
    queries_10x, page_10x = get_page(client, "/dashboard/student/")

    assert queries_10x == queries_1x
    assert rows(page_10x) == rows(page_1x) == 5 * 10  # ten a list, five lists
    assert "Page 1 of 12" in page_10x


def test_the_students_past_lessons_page_through_the_latest_first(client, student, teacher):
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=30)
    add_lessons(
        student=student,
        teacher=teacher,
        status=BookingStatus.COMPLETED,
        first=start,
        count=25,
        step=dt.timedelta(days=1),
    )
    latest_first = [
        format_date(b.starts_at, student.timezone)
        for b in Booking.objects.filter(student=student).order_by("-starts_at")
    ]

    first = client.get("/dashboard/student/").text
    assert 'href="?past=2#past-heading" rel="next"' in first
    second = client.get("/dashboard/student/?past=2").text
    third = client.get("/dashboard/student/?past=3").text

    assert "Page 2 of 3" in second and "Page 3 of 3" in third
    assert rows(first) == rows(second) == 10 and rows(third) == 5
    for page, days in ((first, latest_first[:10]), (third, latest_first[20:])):
        assert [day for day in latest_first if day in page] == days
    # A page number past the end, or not a number, shows a page rather than an error.
    assert "Page 3 of 3" in client.get("/dashboard/student/?past=99999").text
    assert "Page 1 of 3" in client.get("/dashboard/student/?past=x").text


def test_paging_one_list_keeps_the_other_lists_page(client, student, teacher):
    student_history(student, teacher, each=25)

    page = client.get("/dashboard/student/?upcoming=2&past=3").text

    assert 'href="?upcoming=2&amp;past=2#past-heading" rel="prev"' in page
    assert 'href="?past=3&amp;upcoming=1#upcoming-heading" rel="prev"' in page


def test_the_teacher_dashboard_costs_the_same_with_12_or_120_lessons_in_each_list(client, teacher):
    client.force_login(teacher.user)
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    days = dt.timedelta(days=1)

    def history(count: int, offset: int) -> None:
        # Lessons ahead start a day from now, the later ones after this week's calendar.
        ahead = start + days if offset == 0 else start + 20 * days
        for status, first in (
            (BookingStatus.CONFIRMED, ahead),
            (BookingStatus.REQUESTED, start + 40 * days + offset * 2 * HOUR),
            (BookingStatus.COMPLETED, start - 80 * days + offset * 2 * HOUR),
        ):
            add_lessons(
                student=StudentFactory(), teacher=teacher, status=status, first=first, count=count
            )

    history(12, 0)
    queries_1x, page_1x = get_page(client, "/dashboard/teacher/")
    history(108, 12)
    queries_10x, page_10x = get_page(client, "/dashboard/teacher/")

    assert queries_10x == queries_1x
    assert rows(page_10x) == rows(page_1x) == 3 * 10
    assert rows(page_10x, "week-lesson") == rows(page_1x, "week-lesson") == 12
    # The badge counts every request waiting, not only those on the page.
    assert '<span class="badge badge-off">120</span>' in page_10x
