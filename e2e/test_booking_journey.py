"""A student in Tokyo books a Paris teacher's slot; the teacher accepts it. Real Chromium."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, expect

from petittalk.accounts.tests.factories import PASSWORD, StudentFactory
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.scheduling.models import AvailabilityRule
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def log_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # A `goto` racing the log-in POST would arrive logged out: wait for it to land.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_student_in_tokyo_books_and_the_paris_teacher_accepts(
    browser: Browser, live_server, artifacts_dir
):
    shots = artifacts_dir / "booking-journey"
    shots.mkdir(exist_ok=True)
    teacher = TeacherProfileFactory(
        user__display_name="Claire Dubois", slug="claire", user__timezone="Europe/Paris"
    )
    AvailabilityRule.objects.bulk_create(
        AvailabilityRule(teacher=teacher, weekday=d, start_minute=9 * 60, end_minute=18 * 60)
        for d in range(7)
    )
    student = StudentFactory(display_name="Aiko", timezone="Asia/Tokyo")

    student_context = browser.new_context(timezone_id="Asia/Tokyo")
    page = student_context.new_page()
    log_in(page, live_server.url, student.email)
    page.goto(live_server.url + "/teachers/claire/")
    expect(page.get_by_text("your time zone, Asia/Tokyo")).to_be_visible()
    page.get_by_role("link", name="30 min").click()
    expect(page.locator("#slot-picker .chip-blue")).to_have_text("30 min")
    this_week = page.locator(".week-label").inner_text()
    page.evaluate("window.fullLoads = (window.fullLoads || 0) + 1")
    page.get_by_role("link", name="Next week").click()  # htmx swaps the picker in place
    expect(page.locator(".week-label")).not_to_have_text(this_week)
    assert page.evaluate("window.fullLoads") == 1, "the page itself was not reloaded"
    first_slot = page.locator("a.slot").first
    expect(first_slot).to_be_visible()
    page.screenshot(path=str(shots / "1-teacher-page-tokyo.png"), full_page=True)

    query = parse_qs(urlparse(first_slot.get_attribute("href")).query)
    starts_at = dt.datetime.fromisoformat(query["start"][0].replace("Z", "+00:00"))
    assert query["duration"] == ["30"]
    tokyo_time = starts_at.astimezone(TOKYO).strftime("%H:%M")
    assert first_slot.inner_text().startswith(tokyo_time)
    assert starts_at.astimezone(PARIS).strftime("%H:%M") in first_slot.inner_text()

    first_slot.click()
    page.get_by_label("Your French level").select_option("A2")
    page.get_by_label("What is the lesson for?").select_option("travel")
    page.get_by_label("A message for your teacher").fill("Je vais à Paris en avril !")
    page.screenshot(path=str(shots / "2-booking-form.png"), full_page=True)
    page.get_by_role("button", name="Reserve this lesson").click()
    expect(page.get_by_text("is reserved for 15 minutes")).to_be_visible()

    booking = Booking.objects.get(student=student)
    assert booking.starts_at == starts_at and booking.duration_minutes == 30
    page.get_by_role("link", name="Checkout").click()
    page.get_by_label("Country").select_option("JP")
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry (MM/YY)").fill("12/40")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name="Pay").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci")

    page.goto(live_server.url + "/dashboard/student/")
    awaiting = page.get_by_role("region", name="Awaiting the teacher")
    expect(awaiting).to_contain_text(tokyo_time)
    page.screenshot(path=str(shots / "3-student-awaiting.png"), full_page=True)

    teacher_context = browser.new_context(timezone_id="Europe/Paris")
    teacher_page = teacher_context.new_page()
    log_in(teacher_page, live_server.url, teacher.user.email)
    requests = teacher_page.get_by_role("region", name="Requests to answer")
    expect(requests).to_contain_text("Aiko")
    expect(requests).to_contain_text(starts_at.astimezone(PARIS).strftime("%H:%M"))
    expect(requests).to_contain_text("Je vais à Paris en avril !")
    teacher_page.screenshot(path=str(shots / "4-teacher-request.png"), full_page=True)
    requests.get_by_role("button", name="Accept").click()
    expect(teacher_page.get_by_text("Lesson with Aiko confirmed.")).to_be_visible()

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    page.reload()
    upcoming = page.get_by_role("region", name="Upcoming lessons")
    expect(upcoming).to_contain_text(tokyo_time)
    expect(upcoming.get_by_role("link", name="Join the lesson")).to_have_attribute(
        "href", booking.meeting_url
    )
    page.screenshot(path=str(shots / "5-student-confirmed.png"), full_page=True)
    student_context.close()
    teacher_context.close()
