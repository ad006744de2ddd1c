"""A student in Tokyo moves a confirmed lesson: picks a time, sees old → new, confirms. Chromium."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from petittalk.accounts.tests.factories import PASSWORD, StudentFactory
from petittalk.bookings.models import Booking
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.scheduling.models import AvailabilityRule
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def test_moving_a_lesson_asks_to_confirm_old_and_new_time_first(
    browser: Browser, live_server, artifacts_dir
):
    shots = artifacts_dir / "reschedule-journey"
    shots.mkdir(exist_ok=True)
    teacher = TeacherProfileFactory(
        user__display_name="Claire Dubois", user__timezone="Europe/Paris"
    )
    AvailabilityRule.objects.bulk_create(
        AvailabilityRule(teacher=teacher, weekday=d, start_minute=9 * 60, end_minute=18 * 60)
        for d in range(7)
    )
    student = StudentFactory(display_name="Aiko", timezone="Asia/Tokyo")
    in_five_days = (timezone.now() + dt.timedelta(days=5)).date()
    old_start = dt.datetime.combine(in_five_days, dt.time(9), tzinfo=dt.UTC)
    booking = BookingFactory(teacher=teacher, student=student, starts_at=old_start)

    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(student.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # A `goto` racing the log-in POST would arrive logged out: wait for it to land.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(live_server.url + "/dashboard/student/")
    page.get_by_role("link", name="Move").click()

    slot = page.locator("#slot-picker .slot").first
    new_start = dt.datetime.fromisoformat(
        parse_qs(urlparse(slot.get_attribute("href")).query)["start"][0].replace("Z", "+00:00")
    )
    slot.click()

    # Nothing has moved yet: the page shows both times in the student's zone and asks.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Move your lesson with Claire Dubois?"
    )
    summary = page.locator(".move-summary")
    expect(summary).to_contain_text(f"{old_start.astimezone(TOKYO):%H:%M} Tokyo time (JST)")
    expect(summary).to_contain_text(f"{new_start.astimezone(TOKYO):%H:%M} Tokyo time (JST)")
    assert Booking.objects.get(pk=booking.pk).starts_at == old_start
    page.screenshot(path=str(shots / "1-confirm-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / "2-confirm-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="Confirm the new time").click()

    expect(page.get_by_text("Your lesson has moved.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.starts_at == new_start and booking.rescheduled_from == old_start
    page.screenshot(path=str(shots / "3-moved-phone.png"), full_page=True)
    context.close()
