"""A student picks a time starting within 24 hours: the slot, the booking page and the basket
all say it cannot be cancelled for a refund, before they pay. Real Chromium, desktop and phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from petittalk.accounts.tests.factories import PASSWORD, StudentFactory
from petittalk.scheduling.models import AvailabilityRule
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_a_lesson_within_24_hours_says_no_refund_before_the_student_pays(
    browser: Browser, live_server, artifacts_dir, viewport
):
    shots = artifacts_dir / "late-booking"
    shots.mkdir(exist_ok=True)
    size = "desktop" if viewport["width"] > 400 else "phone"
    teacher = TeacherProfileFactory(
        user__display_name="Claire Dubois",
        slug="claire",
        user__timezone="Europe/Paris",
        min_notice_hours=1,
    )
    AvailabilityRule.objects.bulk_create(  # all day, every day: some times are always < 24 h away
        AvailabilityRule(teacher=teacher, weekday=d, start_minute=0, end_minute=24 * 60)
        for d in range(7)
    )
    student = StudentFactory(display_name="Aiko", timezone="Asia/Tokyo")
    context = browser.new_context(timezone_id="Asia/Tokyo", viewport=viewport)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(student.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # A `goto` racing the log-in POST would arrive logged out: wait for it to land.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(live_server.url + "/teachers/claire/")
    expect(page.locator(".slot-legend")).to_contain_text("start within 24 hours")
    late_slot = page.locator("a.slot.slot-no-refund").first
    expect(late_slot).to_contain_text("no refund")
    late_slot.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"1-picker-{size}.png"), full_page=True)

    late_slot.click()
    expect(page.get_by_role("note")).to_contain_text("starts in less than 24 hours")
    page.screenshot(path=str(shots / f"2-booking-page-{size}.png"), full_page=True)
    page.get_by_label("Your French level").select_option("A2")
    page.get_by_label("What is the lesson for?").select_option("travel")
    page.get_by_role("button", name="Reserve this lesson").click()

    expect(page.get_by_text("Starts within 24 hours: no refund if cancelled.")).to_be_visible()
    page.screenshot(path=str(shots / f"3-basket-{size}.png"), full_page=True)
    context.close()
