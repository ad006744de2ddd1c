"""The teacher's dashboard is cached for that teacher alone (core/pagecache.cached_private_page),
and every change shows on the very next request. Each test first warms the cache by looking,
then changes something the way the site does, then looks again."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from petittalk.accounts import services as account_services
from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings import services as booking_services
from petittalk.bookings.tests.conftest import NOW, at
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.payments.tests.helpers import paid_order
from petittalk.scheduling.tests.factories import teacher_open_all_week

pytestmark = pytest.mark.django_db

URL = "/dashboard/teacher/"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def bookable_teacher(name: str):
    return teacher_open_all_week(
        user__display_name=name, user__timezone="UTC", instant_booking=False
    )


@pytest.fixture
def teacher():
    return bookable_teacher("Claire")


@pytest.fixture
def student():
    return StudentFactory(display_name="Sam", timezone="UTC")


@pytest.fixture
def claire(teacher) -> Client:
    client = Client()
    client.force_login(teacher.user)
    return client


def dashboard(client: Client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.text


def section(page: str, heading: str) -> str:
    return page.split(f'id="{heading}-heading"', 1)[1].split("</section>", 1)[0]


def requested(student, teacher, starts_at):
    booking = booking_services.booking_hold(
        student=student,
        teacher=teacher,
        starts_at=starts_at,
        duration_minutes=60,
        level="B1",
        purpose="conversation",
    )
    paid_order(student)
    booking.refresh_from_db()
    return booking


def test_a_second_look_is_served_from_the_cache_in_four_queries(claire, teacher, student):
    BookingFactory(teacher=teacher, student=student, starts_at=at(3, 9))
    with CaptureQueriesContext(connection) as first:
        dashboard(claire)
    with CaptureQueriesContext(connection) as second:
        dashboard(claire)
    # The session, the user, the teacher's profile id, the versions.
    assert len(second) == 4 < len(first)
    assert "private" in claire.get(URL)["Cache-Control"]


def test_a_paid_request_shows_at_once_then_accepting_it_moves_it(claire, teacher, student):
    assert "No request waiting" in dashboard(claire)

    booking = requested(student, teacher, at(3, 9))
    assert "Sam" in section(dashboard(claire), "requests")

    booking_services.booking_accept(booking=booking, by=teacher.user)
    page = dashboard(claire)
    assert "No request waiting" in page and "Sam" in section(page, "upcoming")


def test_a_declined_request_leaves_at_once(claire, teacher, student):
    booking = requested(student, teacher, at(3, 9))
    assert "Sam" in section(dashboard(claire), "requests")

    booking_services.booking_decline(booking=booking, by=teacher.user, reason="Away")

    assert "No request waiting" in dashboard(claire)


def test_a_students_new_name_shows_at_once(claire, teacher, student):
    BookingFactory(teacher=teacher, student=student, starts_at=at(3, 9))
    assert "Sam" in section(dashboard(claire), "upcoming")

    account_services.account_settings_update(
        user=student, display_name="Samira", timezone_name="UTC"
    )

    assert "Samira" in section(dashboard(claire), "upcoming")


def test_a_profile_change_shows_in_the_checklist_at_once(claire, teacher):
    teacher.headline, teacher.bio = "", ""
    teacher.save()
    assert 'Write a headline and a bio</span><span class="visually-hidden">(to do)' in dashboard(
        claire
    )

    teacher.headline, teacher.bio = "Paris French", "I teach."
    teacher.save()

    assert 'Write a headline and a bio</span><span class="visually-hidden">(done)' in dashboard(
        claire
    )


def test_the_time_left_to_answer_counts_down_on_time(claire, teacher, student, frozen_clock):
    requested(student, teacher, at(3, 9))  # answer by 08:00 on the 3rd: 48 h

    def time_left() -> str:
        return section(dashboard(claire), "requests").split("answer-by", 1)[1].split("</span>")[0]

    assert "(2\xa0days left)" in time_left()
    frozen_clock.shift(dt.timedelta(seconds=1))
    assert "(1\xa0day, 23\xa0hours left)" in time_left()
    frozen_clock.shift(dt.timedelta(minutes=59, seconds=59))  # 47 h left exactly
    assert "(1\xa0day, 23\xa0hours left)" in time_left()

    frozen_clock.shift(dt.timedelta(seconds=1))

    assert "(1\xa0day, 22\xa0hours left)" in time_left()


def test_a_lesson_ending_moves_to_the_past_then(claire, teacher, student, frozen_clock):
    BookingFactory(teacher=teacher, student=student, starts_at=at(1, 7, 30))  # ends 08:30
    frozen_clock.shift(dt.timedelta(minutes=28))
    assert "Sam" in section(dashboard(claire), "upcoming")

    frozen_clock.shift(dt.timedelta(minutes=2))

    page = dashboard(claire)
    assert "Sam" not in section(page, "upcoming") and "Sam" in section(page, "past")


def test_the_week_moves_at_midnight(claire, teacher, frozen_clock):
    assert "<span>Tue</span> 1 Dec</h3>" in dashboard(claire)
    frozen_clock.move_to(at(1, 23, 58))
    claire.force_login(teacher.user)
    assert "<span>Tue</span> 1 Dec</h3>" in dashboard(claire)

    frozen_clock.move_to(at(2, 0, 0) + dt.timedelta(seconds=1))

    page = dashboard(claire)
    assert "<span>Tue</span> 1 Dec</h3>" not in page and "<span>Tue</span> 8 Dec</h3>" in page


def test_two_teachers_at_the_same_address_each_see_their_own_dashboard(claire, teacher, student):
    other = bookable_teacher("Claire")  # all else alike
    marc = Client()
    marc.force_login(other.user)
    BookingFactory(teacher=teacher, student=student, starts_at=at(3, 9))
    BookingFactory(teacher=other, student=StudentFactory(display_name="Noa"), starts_at=at(3, 11))

    claires, marcs = dashboard(claire), dashboard(marc)

    assert "Sam" in claires and "Noa" not in claires
    assert "Noa" in marcs and "Sam" not in marcs
