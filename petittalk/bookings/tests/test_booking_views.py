from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petittalk.accounts.tests.factories import PASSWORD, StudentFactory
from petittalk.bookings import services
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.bookings.tests.conftest import NOW, at
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.teachers.tests.factories import TeacherProfileFactory
from petittalk.testing.caches import forget_cached_content

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def book_url(teacher, starts_at, minutes=60) -> str:
    return f"/book/{teacher.slug}/?start={starts_at:%Y-%m-%dT%H:%M:%SZ}&duration={minutes}"


def test_the_teacher_page_shows_free_times_in_the_viewers_zone(client, teacher):
    client.cookies["pt_tz"] = "America/New_York"

    page = client.get(f"/teachers/{teacher.slug}/").text

    assert "your time zone, America/New_York" in page
    # Claire's 08:00 Paris on Thursday 3 Dec is 02:00 in New York; she is named with her time.
    assert "start=2026-12-03T07:00:00Z&amp;duration=60" in page
    assert "08:00 for Claire" in page


def test_next_week_comes_as_an_htmx_fragment(client, teacher):
    response = client.get(
        f"/teachers/{teacher.slug}/slots/?week=2026-12-08&duration=30", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="slot-picker"' in response.text
    assert "8 Dec – 14 Dec 2026" in response.text


def test_the_picker_survives_nonsense_parameters(client, teacher):
    response = client.get(
        f"/teachers/{teacher.slug}/slots/?week=yesterday&duration=999", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "60 min" in response.text


def test_teacher_page_queries_stay_the_same_with_10_or_10000_bookings(client, teacher):
    def queries() -> int:
        forget_cached_content()  # the rows below come from bulk_create, which bumps nothing
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/teachers/{teacher.slug}/").status_code == 200
        return len(captured)

    students = StudentFactory.create_batch(2)

    def add_bookings(count: int, offset: int) -> None:
        Booking.objects.bulk_create(
            Booking(
                teacher=teacher,
                student=students[n % 2],
                starts_at=NOW + dt.timedelta(hours=2 * (n + offset) - 20_000),
                ends_at=NOW + dt.timedelta(hours=2 * (n + offset) - 20_000, minutes=60),
                duration_minutes=60,
                status=BookingStatus.COMPLETED,
                level="B1",
                purpose="conversation",
                price="22.00",
            )
            for n in range(count)
        )

    add_bookings(10, 0)
    with_ten = queries()
    add_bookings(9_990, 10)
    with_ten_thousand = queries()
    assert Booking.objects.count() == 10_000
    assert with_ten == with_ten_thousand
    print(f"teacher page with slot picker: {with_ten_thousand} queries")


def test_anonymous_visitors_log_in_and_come_back_to_the_same_slot(client, teacher):
    url = book_url(teacher, at(3, 9))
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={quote(url, safe='/')}"

    student = StudentFactory()
    after_login = client.post(
        response.url, {"login": student.email, "password": PASSWORD}, follow=True
    )
    assert after_login.redirect_chain[-1][0] == url
    assert "Thu 3 Dec 2026, 09:00 London time (GMT)" in after_login.text  # their zone
    assert "Reserve this lesson" in after_login.text


def test_a_student_reserves_a_slot_and_sees_it_on_the_dashboard(client, teacher, student):
    client.force_login(student)
    response = client.post(
        f"/book/{teacher.slug}/",
        {
            "start": "2026-12-03T09:00:00Z",
            "duration": "60",
            "level": "B1",
            "purpose": "travel",
            "message": "Bonjour !",
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.student, booking.status, booking.purpose) == (student, "held", "travel")
    dashboard = client.get("/dashboard/student/").text
    assert "Reserved for you" in dashboard and "04:00–05:00" in dashboard  # New York time


def test_a_taken_slot_gets_409_and_a_clear_message(client, teacher, student):
    services.booking_hold(
        student=StudentFactory(),
        teacher=teacher,
        starts_at=at(3, 9),
        duration_minutes=60,
        level="B1",
        purpose="conversation",
    )
    client.force_login(student)
    response = client.post(
        f"/book/{teacher.slug}/",
        {"start": "2026-12-03T09:30:00Z", "duration": "30", "level": "B1", "purpose": "grammar"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "That time was just taken" in response.text
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"start": "not-a-date", "duration": "60", "level": "B1", "purpose": "grammar"},
        {"start": "2026-12-03T09:00:00", "duration": "60", "level": "B1", "purpose": "grammar"},
        {"start": "2026-12-03T09:00:00Z", "duration": "45", "level": "B1", "purpose": "grammar"},
        {"start": "2026-12-03T09:00:00Z", "duration": "60", "level": "Z9", "purpose": "grammar"},
        {"start": "2026-12-03T09:00:00Z", "duration": "60", "level": "B1", "purpose": "nope"},
        {"start": "2026-11-30T09:00:00Z", "duration": "60", "level": "B1", "purpose": "grammar"},
        {},
    ],
)
def test_bad_booking_input_is_refused_without_a_500_and_writes_nothing(
    client, teacher, student, data
):
    client.force_login(student)
    response = client.post(f"/book/{teacher.slug}/", data)
    assert response.status_code in (200, 400)
    assert not Booking.objects.exists()


def test_teachers_cannot_book(client, teacher):
    client.force_login(TeacherProfileFactory().user)
    response = client.get(book_url(teacher, at(3, 9)))
    assert response.status_code == 302 and response.url == f"/teachers/{teacher.slug}/"


def test_the_teacher_sees_the_request_with_its_deadline_and_accepts_it(client, teacher, student):
    booking = services.booking_mark_paid(
        booking=services.booking_hold(
            student=student,
            teacher=teacher,
            starts_at=at(3, 9),
            duration_minutes=60,
            level="B1",
            purpose="conversation",
            message="Je voudrais parler de cuisine",
        )
    )
    client.force_login(teacher.user)
    dashboard = client.get("/dashboard/teacher/").text
    assert "Requests to answer" in dashboard and "Je voudrais parler de cuisine" in dashboard
    assert "10:00–11:00" in dashboard  # Paris time
    assert "Answer by Thu 3 Dec 2026, 09:00 Paris time (CET)" in dashboard

    client.post(f"/dashboard/lessons/{booking.pk}/accept/")

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.meeting_url in client.get("/dashboard/teacher/").text


def test_nobody_acts_on_someone_elses_booking(client, teacher, student):
    booking = BookingFactory(teacher=teacher, student=student, status=BookingStatus.REQUESTED)
    client.force_login(TeacherProfileFactory().user)
    assert client.post(f"/dashboard/lessons/{booking.pk}/accept/").status_code == 404
    assert client.get(f"/dashboard/lessons/{booking.pk}/decline/").status_code == 404
    client.force_login(StudentFactory())
    assert client.get(f"/dashboard/lessons/{booking.pk}/cancel/").status_code == 404
    assert client.post(f"/dashboard/lessons/{booking.pk}/cancel/").status_code == 404
    assert client.get(f"/dashboard/lessons/{booking.pk}/reschedule/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_cancel_page_says_the_refund_before_the_student_decides(client, teacher, student):
    early = BookingFactory(teacher=teacher, student=student, starts_at=at(5, 9))
    late = BookingFactory(teacher=teacher, student=student, starts_at=at(1, 20))
    client.force_login(student)

    assert "Refund: €22.00" in client.get(f"/dashboard/lessons/{early.pk}/cancel/").text
    assert "No refund" in client.get(f"/dashboard/lessons/{late.pk}/cancel/").text
    dashboard = client.get("/dashboard/student/").text
    assert "Cancel (refund €22.00)" in dashboard and "Cancel (no refund)" in dashboard

    client.post(f"/dashboard/lessons/{early.pk}/cancel/")
    early.refresh_from_db()
    assert early.status == BookingStatus.CANCELLED


def test_choosing_a_new_time_shows_old_and_new_and_asks_to_confirm(client, teacher, student):
    booking = BookingFactory(teacher=teacher, student=student, starts_at=at(5, 9))
    client.force_login(student)

    picker = client.get(f"/dashboard/lessons/{booking.pk}/reschedule/")
    assert picker.status_code == 200
    assert f"/dashboard/lessons/{booking.pk}/reschedule/?start=2026-12-05T10:00:00Z" in picker.text

    page = client.get(f"/dashboard/lessons/{booking.pk}/reschedule/?start=2026-12-05T10:00:00Z")

    assert page.status_code == 200
    # Sam is in New York: 09:00 UTC is 04:00 there, 10:00 UTC is 05:00.
    assert "Sat 5 Dec 2026, 04:00 New York time (EST)" in page.text
    assert "Sat 5 Dec 2026, 05:00 New York time (EST)" in page.text
    assert "Confirm the new time" in page.text and "csrfmiddlewaretoken" in page.text
    booking.refresh_from_db()
    assert booking.starts_at == at(5, 9), "a GET never moves the lesson"


def test_confirming_the_new_time_moves_the_lesson(client, teacher, student):
    booking = BookingFactory(teacher=teacher, student=student, starts_at=at(5, 9))
    client.force_login(student)

    response = client.post(
        f"/dashboard/lessons/{booking.pk}/reschedule/",
        {"start": "2026-12-05T10:00:00Z", "current": "2026-12-05T09:00:00Z"},
        follow=True,
    )

    assert "Your lesson has moved" in response.text
    booking.refresh_from_db()
    assert booking.starts_at == at(5, 10) and booking.rescheduled_from == at(5, 9)


def test_a_time_posted_without_confirmation_does_not_move_the_lesson(client, teacher, student):
    booking = BookingFactory(teacher=teacher, student=student, starts_at=at(5, 9))
    client.force_login(student)

    response = client.post(
        f"/dashboard/lessons/{booking.pk}/reschedule/", {"start": "2026-12-05T10:00:00Z"}
    )

    assert response.status_code == 400
    assert "Confirm the new time" in response.text
    booking.refresh_from_db()
    assert booking.starts_at == at(5, 9)


def test_an_old_tab_confirming_a_stale_choice_gets_a_clear_message(client, teacher, student):
    booking = BookingFactory(teacher=teacher, student=student, starts_at=at(5, 9))
    client.force_login(student)
    # The lesson was moved to 11:00 from another tab after this one showed 09:00 → 10:00.
    services.booking_reschedule(booking=booking, by=student, new_starts_at=at(5, 11))

    response = client.post(
        f"/dashboard/lessons/{booking.pk}/reschedule/",
        {"start": "2026-12-05T10:00:00Z", "current": "2026-12-05T09:00:00Z"},
    )

    assert response.status_code == 409
    assert "This lesson was moved since you opened this page" in response.text
    booking.refresh_from_db()
    assert booking.starts_at == at(5, 11)


def test_confirming_a_time_taken_meanwhile_gets_a_clear_message(client, teacher, student):
    booking = BookingFactory(teacher=teacher, student=student, starts_at=at(5, 9))
    BookingFactory(teacher=teacher, starts_at=at(5, 10))
    client.force_login(student)

    response = client.post(
        f"/dashboard/lessons/{booking.pk}/reschedule/",
        {"start": "2026-12-05T10:00:00Z", "current": "2026-12-05T09:00:00Z"},
    )

    assert response.status_code == 409
    assert "just taken" in response.text
    booking.refresh_from_db()
    assert booking.starts_at == at(5, 9)


def test_a_confirmation_page_for_a_nonsense_time_says_so_and_shows_the_calendar(
    client, teacher, student
):
    booking = BookingFactory(teacher=teacher, student=student, starts_at=at(5, 9))
    client.force_login(student)

    response = client.get(f"/dashboard/lessons/{booking.pk}/reschedule/?start=nonsense")

    assert response.status_code == 400
    assert "Choose a new time from the calendar." in response.text
    assert 'id="slot-picker"' in response.text


def test_settings_show_a_private_calendar_address_that_can_be_renewed(client, student):
    client.force_login(student)
    client.post("/dashboard/calendar/create/")
    first = client.get("/dashboard/settings/").text
    assert "/calendar/" in first and ".ics" in first
    client.post("/dashboard/calendar/reset/")
    assert client.get("/dashboard/settings/").text != first


def test_the_teacher_sees_earnings_for_lessons_taught_and_booked_ahead(client, teacher):
    BookingFactory(teacher=teacher, status=BookingStatus.COMPLETED, starts_at=at(1, 6))
    BookingFactory(
        teacher=teacher, status=BookingStatus.COMPLETED, starts_at=at(1, 6) - dt.timedelta(days=40)
    )
    BookingFactory(teacher=teacher, status=BookingStatus.CONFIRMED, starts_at=at(4, 9))
    BookingFactory(teacher=teacher, status=BookingStatus.CANCELLED, starts_at=at(5, 9))
    client.force_login(teacher.user)

    page = client.get("/dashboard/teacher/").text

    assert "This month (1 lesson)</dt><dd>€22.00" in page
    assert "Booked ahead (1)</dt><dd>€22.00" in page
    assert "All time (2)</dt><dd>€44.00" in page


def test_a_visitor_without_an_account_signs_up_and_lands_on_the_same_slot(
    client, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    url = book_url(teacher, at(3, 9))
    login_page = client.get(client.get(url).url).text
    assert f'href="/accounts/signup/?{urlencode({"next": url})}"' in login_page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/accounts/signup/?next={quote(url, safe='/')}",
            {
                "email": "new@example.com",
                "display_name": "Nina",
                "timezone": "Europe/Berlin",
                "password1": "une-phrase-secrete-42",
                "password2": "une-phrase-secrete-42",
                "next": url,
            },
        )
    assert response.status_code == 302 and response.url == "/accounts/confirm-email/"

    link = next(line for line in mailoutbox[0].body.splitlines() if "/confirm-email/" in line)
    response = client.post(link[link.index("/accounts/") :].strip())
    assert response.status_code == 302 and response.url == url
    assert "Reserve this lesson" in client.get(url).text
