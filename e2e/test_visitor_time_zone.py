"""A visitor in New York sees a teacher's free times in New York time before and after sign-up."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, expect

from petittalk.accounts.models import User
from petittalk.scheduling.models import AvailabilityRule
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_a_new_york_visitor_sees_new_york_times_and_keeps_them_after_signing_up(
    browser: Browser, live_server, artifacts_dir, mailoutbox
):
    shots = artifacts_dir / "visitor-time-zone"
    shots.mkdir(exist_ok=True)
    teacher = TeacherProfileFactory(
        user__display_name="Claire Dubois", slug="claire", user__timezone="Europe/Paris"
    )
    AvailabilityRule.objects.bulk_create(
        AvailabilityRule(teacher=teacher, weekday=d, start_minute=9 * 60, end_minute=18 * 60)
        for d in range(7)
    )
    context = browser.new_context(timezone_id="America/New_York", locale="en-US")
    page = context.new_page()

    # Not logged in: the browser reports its zone in the pt_tz cookie, the server must read it.
    page.goto(live_server.url + "/teachers/claire/")
    expect(page.get_by_text("your time zone, America/New_York")).to_be_visible()
    page.reload()  # a later visit: the cookie is already there when the page is drawn
    expect(page.get_by_text("your time zone, America/New_York")).to_be_visible()
    first_slot = page.locator("a.slot").first
    starts_at = dt.datetime.fromisoformat(
        parse_qs(urlparse(first_slot.get_attribute("href")).query)["start"][0].replace(
            "Z", "+00:00"
        )
    )
    new_york_time = starts_at.astimezone(NEW_YORK).strftime("%H:%M")
    expect(first_slot).to_contain_text(new_york_time)
    page.screenshot(path=str(shots / "1-teacher-page-new-york.png"), full_page=True)

    first_slot.click()
    page.get_by_role("link", name="Create a free account").click()
    expect(page.get_by_label("Your time zone")).to_have_value("America/New_York")
    page.get_by_label("Email").fill("nina@example.com")
    page.get_by_label("Your name").fill("Nina")
    page.get_by_label("Password", exact=True).fill("une-phrase-secrete-42")
    page.get_by_label("Password (again)").fill("une-phrase-secrete-42")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify Your Email Address")
    link = next(line for line in mailoutbox[-1].body.splitlines() if "/confirm-email/" in line)
    page.goto(live_server.url + link[link.index("/accounts/") :].strip())
    page.get_by_role("button", name="Confirm").click()

    # Back on the chosen slot, now signed in: the same clock time, in the same zone.
    expect(page.get_by_role("button", name="Reserve this lesson")).to_be_visible()
    expect(page.locator(".booking-when")).to_contain_text(f"{new_york_time} New York time (")
    page.screenshot(path=str(shots / "2-booking-page-new-york.png"), full_page=True)
    assert User.objects.get(email="nina@example.com").timezone == "America/New_York"
    context.close()
