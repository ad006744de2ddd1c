from __future__ import annotations

import datetime as dt
from datetime import timedelta

import icalendar
import pytest
import time_machine
import vobject
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings import feeds
from petittalk.bookings.calendar import (
    booking_ics,
    calendar_feed_of,
    calendar_feed_reset,
    feed_for_token,
    feed_ics,
)
from petittalk.bookings.models import BookingStatus, CalendarFeed
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.teachers.tests.factories import TeacherProfileFactory

# The feed's URLs are not wired into config.urls yet; this module doubles as the test URLconf.
urlpatterns = [
    path("calendar/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    path("dashboard/calendar/reset/", feeds.calendar_feed_reset_view, name="calendar_feed_reset"),
    *site_urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

NOW = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)
LESSON_START = dt.datetime(2026, 1, 15, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def lesson(**kwargs):
    start = kwargs.pop("starts_at", LESSON_START)
    return BookingFactory(starts_at=start, ends_at=start + timedelta(minutes=60), **kwargs)


def parse(ics: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(ics)


def uids(ics: bytes) -> set[str]:
    return {str(event.uid) for event in parse(ics).events}


def test_booking_ics_parses_back_with_the_lesson_in_utc_for_each_side():
    booking = lesson(
        student__display_name="Sam Taylor", teacher__user__display_name="Claire Dubois"
    )

    student_calendar = parse(booking_ics(booking, for_user=booking.student))
    teacher_calendar = parse(booking_ics(booking, for_user=booking.teacher.user))

    assert student_calendar["METHOD"] == "REQUEST"
    assert student_calendar["PRODID"] == "-//Petit Talk//Lessons//EN"
    assert student_calendar["VERSION"] == "2.0"
    [event] = student_calendar.events
    assert event.start == booking.starts_at == LESSON_START
    assert event.end == booking.ends_at
    assert event.start.utcoffset() == timedelta(0)
    assert event.uid == f"booking-{booking.pk}@petittalk"
    assert event["SUMMARY"] == "French lesson with Claire Dubois"
    assert teacher_calendar.events[0]["SUMMARY"] == "French lesson with Sam Taylor"
    assert teacher_calendar.events[0].uid == event.uid
    assert event["STATUS"] == "CONFIRMED"
    assert event["URL"] == event["LOCATION"] == booking.meeting_url
    assert booking.meeting_url in event["DESCRIPTION"]
    assert "B1" in event["DESCRIPTION"]


def test_description_shows_the_time_in_the_calendar_owners_zone():
    booking = lesson(student__timezone="America/New_York")

    [event] = parse(booking_ics(booking, for_user=booking.student)).events

    assert "Thu 15 Jan 2026, 10:00 New York time (EST)" in event["DESCRIPTION"]


def test_cancelled_lesson_is_marked_cancelled_with_a_higher_sequence(frozen_clock):
    booking = lesson()
    before = parse(booking_ics(booking, for_user=booking.student)).events[0]

    frozen_clock.shift(timedelta(hours=2))
    booking.status = BookingStatus.CANCELLED
    booking.calendar_sequence += 1  # as booking_cancel does
    booking.save()
    cancel = parse(booking_ics(booking, for_user=booking.student))
    after = cancel.events[0]

    assert cancel["METHOD"] == "CANCEL"
    assert after["STATUS"] == "CANCELLED"
    assert after.uid == before.uid
    assert after.sequence == before.sequence + 1


def test_rescheduled_lesson_keeps_its_uid_and_raises_the_sequence(frozen_clock):
    booking = lesson()
    before = parse(booking_ics(booking, for_user=booking.student)).events[0]

    frozen_clock.shift(timedelta(minutes=5))
    booking.starts_at += timedelta(days=1)
    booking.ends_at += timedelta(days=1)
    booking.calendar_sequence += 1  # as booking_reschedule does
    booking.save()
    after = parse(booking_ics(booking, for_user=booking.student)).events[0]

    assert after.uid == before.uid
    assert after.sequence == before.sequence + 1
    assert after.start == LESSON_START + timedelta(days=1)


def test_teacher_feed_holds_their_students_lessons_and_nobody_elses(django_assert_num_queries):
    teacher = TeacherProfileFactory()
    first = lesson(teacher=teacher)
    second = lesson(teacher=teacher, starts_at=LESSON_START + timedelta(days=1))
    requested = lesson(
        teacher=teacher, status=BookingStatus.REQUESTED, starts_at=LESSON_START + timedelta(days=2)
    )
    other_teachers = lesson()

    with django_assert_num_queries(1):
        ics = feed_ics(teacher.user)

    assert uids(ics) == {f"booking-{b.pk}@petittalk" for b in (first, second, requested)}
    assert f"booking-{other_teachers.pk}@petittalk" not in uids(ics)
    calendar = parse(ics)
    assert calendar["X-WR-CALNAME"] == "Petit Talk lessons"
    status = {str(event.uid): str(event["STATUS"]) for event in calendar.events}
    assert status[f"booking-{requested.pk}@petittalk"] == "TENTATIVE"
    assert status[f"booking-{first.pk}@petittalk"] == "CONFIRMED"


def test_student_feed_holds_only_their_own_lessons():
    student = StudentFactory()
    mine = lesson(student=student)
    someone_elses = lesson(starts_at=LESSON_START)

    ics = feed_ics(student)

    assert uids(ics) == {f"booking-{mine.pk}@petittalk"}
    assert f"booking-{someone_elses.pk}@petittalk" not in uids(ics)


def test_feed_marks_called_off_lessons_cancelled_and_leaves_out_holds_and_long_past_ones():
    student = StudentFactory()
    completed = lesson(
        student=student, status=BookingStatus.COMPLETED, starts_at=NOW - timedelta(days=30)
    )
    lesson(student=student, status=BookingStatus.COMPLETED, starts_at=NOW - timedelta(days=91))
    # A hold that lapsed unpaid was never in anyone's calendar.
    lesson(student=student, status=BookingStatus.EXPIRED, starts_at=LESSON_START)
    called_off = [
        lesson(
            student=student,
            status=status,
            requested_at=NOW,
            calendar_sequence=2,
            starts_at=LESSON_START + timedelta(days=offset + 1),
        )
        for offset, status in enumerate(
            (BookingStatus.CANCELLED, BookingStatus.DECLINED, BookingStatus.EXPIRED)
        )
    ]

    events = {str(e.uid): e for e in parse(feed_ics(student)).events}

    assert set(events) == {f"booking-{b.pk}@petittalk" for b in (completed, *called_off)}
    for booking in called_off:
        event = events[f"booking-{booking.pk}@petittalk"]
        assert (event["STATUS"], event.sequence) == ("CANCELLED", 2)


def test_feed_refresh_properties_are_valid_durations_and_the_feed_validates():
    student = StudentFactory()
    lesson(student=student)
    lesson(student=student, status=BookingStatus.CANCELLED, requested_at=NOW, calendar_sequence=1)

    ics = feed_ics(student)

    assert b"X-PUBLISHED-TTL:PT1H\r\n" in ics
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in ics
    assert parse(ics)["METHOD"] == "PUBLISH"
    vobject.readOne(ics.decode()).validate(raiseException=True, complainUnrecognized=False)


def test_feed_answers_a_conditional_get_with_304_until_a_lesson_changes(client, frozen_clock):
    booking = lesson(requested_at=NOW)
    url = f"/calendar/{calendar_feed_of(booking.student).token}.ics"
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]

    frozen_clock.shift(timedelta(hours=1))
    again = client.get(url)
    by_etag = client.get(url, headers={"If-None-Match": etag})
    by_date = client.get(url, headers={"If-Modified-Since": last_modified})

    assert again.content == first.content and again["ETag"] == etag
    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert by_date.status_code == 304
    frozen_clock.shift(timedelta(minutes=5))
    booking.status = BookingStatus.CANCELLED
    booking.calendar_sequence += 1
    booking.save()
    changed = client.get(url, headers={"If-None-Match": etag, "If-Modified-Since": last_modified})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"STATUS:CANCELLED" in changed.content


def test_feed_answers_head_with_the_headers_and_no_body(client):
    booking = lesson()
    url = f"/calendar/{calendar_feed_of(booking.student).token}.ics"

    head = client.head(url)

    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == "text/calendar; charset=utf-8"
    assert head["ETag"] == client.get(url)["ETag"]


def test_feed_url_serves_the_calendar_privately_without_login(client):
    booking = lesson()
    feed = calendar_feed_of(booking.student)

    response = client.get(f"/calendar/{feed.token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    assert uids(response.content) == {f"booking-{booking.pk}@petittalk"}


def test_unknown_token_is_404(client):
    calendar_feed_of(StudentFactory())

    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    assert feed_for_token("not-a-real-token") is None


def test_feed_of_a_deactivated_account_is_404(client):
    feed = calendar_feed_of(StudentFactory(is_active=False))

    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404


def test_feed_token_is_created_once_and_kept():
    student = StudentFactory()

    assert calendar_feed_of(student).token == calendar_feed_of(student).token
    assert CalendarFeed.objects.filter(user=student).count() == 1


def test_reset_gives_a_new_address_and_the_old_one_stops_working(client):
    student = StudentFactory()
    old_token = calendar_feed_of(student).token
    client.force_login(student)

    response = client.post("/dashboard/calendar/reset/")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/settings/"
    new_token = CalendarFeed.objects.get(user=student).token
    assert new_token != old_token
    assert client.get(f"/calendar/{old_token}.ics").status_code == 404
    assert client.get(f"/calendar/{new_token}.ics").status_code == 200
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("calendar link is new" in m for m in messages)


def test_reset_is_post_only_and_needs_login(client):
    student = StudentFactory()
    token = calendar_feed_of(student).token

    anonymous = client.post("/dashboard/calendar/reset/")
    client.force_login(student)
    by_get = client.get("/dashboard/calendar/reset/")

    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert by_get.status_code == 405
    assert CalendarFeed.objects.get(user=student).token == token


def test_reset_service_works_for_someone_without_a_feed_yet():
    student = StudentFactory()

    feed = calendar_feed_reset(student)

    assert feed_for_token(feed.token) == feed
