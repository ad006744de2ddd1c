"""The student's dashboard is cached for that student alone (core/pagecache.cached_private_page),
and every change shows on the very next request. Each test first warms the cache by looking,
then changes something the way the site does, then looks again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from petittalk.accounts import services as account_services
from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings import services as booking_services
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.bookings.tests.conftest import NOW, at
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.orders.services import refund_record, refund_record_succeeded
from petittalk.payments.tests.helpers import paid_order
from petittalk.reviews import services as review_services
from petittalk.scheduling.tests.factories import teacher_open_all_week
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db

URL = "/dashboard/student/"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def teacher():
    return teacher_open_all_week(
        user__display_name="Claire", user__timezone="Europe/Paris", instant_booking=True
    )


@pytest.fixture
def student():
    return StudentFactory(display_name="Sam", timezone="UTC")


@pytest.fixture
def sam(student) -> Client:
    client = Client()
    client.force_login(student)
    return client


def dashboard(client: Client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.text


def section(page: str, heading: str) -> str:
    """The part of the page under a list's heading (up to the next list)."""
    if f'id="{heading}-heading"' not in page:
        return ""
    return page.split(f'id="{heading}-heading"', 1)[1].split("</section>", 1)[0]


def hold(student, teacher, starts_at):
    return booking_services.booking_hold(
        student=student,
        teacher=teacher,
        starts_at=starts_at,
        duration_minutes=60,
        level="B1",
        purpose="conversation",
    )


def confirmed(student, teacher, starts_at) -> Booking:
    return BookingFactory(student=student, teacher=teacher, starts_at=starts_at)


def test_a_second_look_is_served_from_the_cache_in_three_queries(sam, student, teacher):
    confirmed(student, teacher, at(3, 9))
    first = len(captured_queries(sam))
    second = captured_queries(sam)
    assert len(second) == 3 < first, [q["sql"] for q in second]  # session, user, versions


def captured_queries(client: Client):
    with CaptureQueriesContext(connection) as captured:
        dashboard(client)
    return captured.captured_queries


def test_a_cached_dashboard_is_still_private_for_proxies(sam):
    dashboard(sam)
    assert "private" in sam.get(URL)["Cache-Control"]


def test_a_hold_shows_at_once_and_leaves_when_it_lapses(sam, student, teacher, frozen_clock):
    assert "Claire" not in section(dashboard(sam), "reserved")

    hold(student, teacher, at(3, 9))
    frozen_clock.shift(dt.timedelta(minutes=12))
    assert "Claire" in section(dashboard(sam), "reserved")

    frozen_clock.shift(dt.timedelta(minutes=3))
    assert section(dashboard(sam), "reserved") == ""


def test_the_periodic_job_marking_lapsed_holds_expired_shows_at_once(
    sam, student, teacher, frozen_clock
):
    hold(student, teacher, at(3, 9))
    frozen_clock.shift(dt.timedelta(minutes=16))
    assert "Expired" not in section(dashboard(sam), "cancelled")

    booking_services.scheduling_tick()

    assert "Expired" in section(dashboard(sam), "cancelled")


def test_a_payment_moves_the_lesson_to_upcoming_at_once(sam, student, teacher):
    hold(student, teacher, at(3, 9))
    assert "Claire" in section(dashboard(sam), "reserved")

    paid_order(student)

    page = dashboard(sam)
    assert section(page, "reserved") == ""
    assert "Claire" in section(page, "upcoming") and "refund €22.00" in page


def test_accepting_and_declining_show_at_once(sam, student, teacher):
    teacher.instant_booking = False
    teacher.save()
    first, second = (
        hold(student, teacher, at(3, 9)),
        hold(student, teacher, at(4, 9)),
    )
    paid_order(student)
    assert section(dashboard(sam), "awaiting").count("Claire") == 2

    booking_services.booking_accept(booking=first, by=teacher.user)
    page = dashboard(sam)
    assert section(page, "awaiting").count("Claire") == 1
    assert "Claire" in section(page, "upcoming")

    booking_services.booking_decline(booking=second, by=teacher.user, reason="Away that day")
    page = dashboard(sam)
    assert section(page, "awaiting") == ""
    assert "Away that day" in section(page, "cancelled")


def test_a_cancellation_shows_at_once(sam, student, teacher):
    booking = confirmed(student, teacher, at(5, 9))
    assert "Claire" in section(dashboard(sam), "upcoming")

    booking_services.booking_cancel(booking=booking, by=student)

    page = dashboard(sam)
    assert "Claire" not in section(page, "upcoming")
    assert "Cancelled" in section(page, "cancelled")


def test_a_reschedule_shows_at_once(sam, student, teacher):
    booking = confirmed(student, teacher, at(5, 9))
    assert "09:00" in section(dashboard(sam), "upcoming")

    booking_services.booking_reschedule(booking=booking, by=student, new_starts_at=at(5, 11))

    page = section(dashboard(sam), "upcoming")
    assert "11:00" in page and "09:00" not in page


def test_a_refund_shows_at_once_in_what_cancelling_would_give_back(sam, student, teacher):
    hold(student, teacher, at(5, 9))
    order = paid_order(student)
    assert "refund €22.00" in dashboard(sam)

    refund, _ = refund_record(
        line=order.lines.get(), amount=Decimal("5.00"), reason="goodwill", idempotency_key="r1"
    )
    refund_record_succeeded(refund=refund, gateway_reference="re_1", notify=False)

    assert "refund €17.00" in dashboard(sam)


def test_a_review_written_shows_at_once_and_its_edit_window_closes_on_time(
    sam, student, teacher, frozen_clock
):
    booking = BookingFactory(
        student=student,
        teacher=teacher,
        starts_at=at(1, 6),
        status=BookingStatus.COMPLETED,
    )
    assert "Review this lesson" in section(dashboard(sam), "past")

    review_services.review_create(student=student, booking=booking, rating=5, text="Great.")
    assert "Edit review" in section(dashboard(sam), "past")

    frozen_clock.shift(dt.timedelta(days=14) - dt.timedelta(minutes=2))
    sam.force_login(student)  # the session from two weeks ago has ended
    assert "Edit review" in section(dashboard(sam), "past")
    frozen_clock.shift(dt.timedelta(minutes=2, seconds=1))
    assert "Edit review" not in section(dashboard(sam), "past")


def test_a_lesson_crossing_the_24_hour_line_changes_its_terms_then(
    sam, student, teacher, frozen_clock
):
    confirmed(student, teacher, at(2, 8, 30))  # 24 h 30 min ahead
    frozen_clock.shift(dt.timedelta(minutes=28))
    page = section(dashboard(sam), "upcoming")
    assert "refund €22.00" in page and ">Move<" in page
    frozen_clock.shift(dt.timedelta(minutes=2))
    assert "refund €22.00" in section(dashboard(sam), "upcoming")  # 24 h exactly: still

    frozen_clock.shift(dt.timedelta(seconds=1))

    page = section(dashboard(sam), "upcoming")
    assert "(no refund)" in page and ">Move<" not in page


def test_a_lesson_ending_moves_to_the_past_then(sam, student, teacher, frozen_clock):
    confirmed(student, teacher, at(1, 6, 0) + dt.timedelta(hours=1, minutes=30))  # ends 08:30
    frozen_clock.shift(dt.timedelta(minutes=28))
    assert "Claire" in section(dashboard(sam), "upcoming")

    frozen_clock.shift(dt.timedelta(minutes=2))

    page = dashboard(sam)
    assert "Claire" not in section(page, "upcoming") and "Claire" in section(page, "past")


def test_name_and_profile_changes_show_at_once(sam, student):
    assert "Bonjour Sam" in dashboard(sam)

    account_services.account_settings_update(
        user=student, display_name="Samira", timezone_name="UTC"
    )
    assert "Bonjour Samira" in dashboard(sam)

    profile = student.student_profile
    profile.level = "B2"
    profile.save()
    assert "Level B2" in dashboard(sam)


def test_a_teachers_new_name_shows_at_once(sam, student, teacher):
    confirmed(student, teacher, at(3, 9))
    assert "Claire" in dashboard(sam)

    account_services.account_settings_update(
        user=teacher.user, display_name="Claire Dubois", timezone_name="Europe/Paris"
    )

    assert "Claire Dubois" in dashboard(sam)


def test_two_students_each_see_their_own_dashboard(sam, student, teacher):
    other = StudentFactory(display_name="Sam", timezone="UTC")  # all else alike
    other.student_profile  # noqa: B018 -- both profiles exist, as for a student who looked
    noa = Client()
    noa.force_login(other)
    confirmed(student, teacher, at(3, 9))
    confirmed(other, TeacherProfileFactory(user__display_name="Marc"), at(3, 11))

    sams, noas = dashboard(sam), dashboard(noa)

    assert "Claire" in sams and "Marc" not in sams
    assert "Marc" in noas and "Claire" not in noas


def test_after_logging_out_the_cached_dashboard_is_not_served(sam, student, teacher):
    confirmed(student, teacher, at(3, 9))
    assert "Claire" in dashboard(sam)

    sam.post("/accounts/logout/")

    response = sam.get(URL)
    assert response.status_code == 302 and "Claire" not in response.text


def test_a_flash_message_is_shown_once_and_not_cached(sam, student, teacher):
    booking = confirmed(student, teacher, at(5, 9))
    dashboard(sam)

    response = sam.post(f"/dashboard/lessons/{booking.pk}/cancel/", follow=True)

    assert response.request["PATH_INFO"] == URL
    assert "The lesson is cancelled." in response.text
    page = dashboard(sam)
    assert "The lesson is cancelled." not in page and "Cancelled" in section(page, "cancelled")
