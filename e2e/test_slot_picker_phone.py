"""On a phone the slot picker's whole week is usable: every day is on screen, none hidden off
to the side. Real Chromium at 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from petittalk.scheduling.models import AvailabilityRule
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def claire():
    teacher = TeacherProfileFactory(
        user__display_name="Claire Dubois", slug="claire", user__timezone="Europe/Paris"
    )
    AvailabilityRule.objects.bulk_create(
        AvailabilityRule(teacher=teacher, weekday=d, start_minute=9 * 60, end_minute=18 * 60)
        for d in range(5)  # weekdays only: the weekend shows as days without free time
    )
    return teacher


def within_the_screen(page: Page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_on_a_phone_all_seven_days_of_the_picker_are_on_screen(
    page: Page, live_server, artifacts_dir, claire
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/teachers/claire/")
    picker = page.locator("#slot-picker")
    # A first visit redraws the picker once the browser's zone is known: wait for that.
    expect(picker).to_have_attribute("data-viewer-zone", "Asia/Tokyo")

    # Nothing hides to the side: neither the page nor the week scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    columns = page.locator(".week-columns")
    assert columns.evaluate("el => el.scrollWidth <= el.clientWidth")

    days = picker.locator(".day-col")
    expect(days).to_have_count(7)
    for n in range(7):
        day = days.nth(n)
        day.scroll_into_view_if_needed()
        expect(day.locator(".day-head")).to_be_in_viewport()
        assert within_the_screen(page, day), f"day {n + 1} is cut off"
        first_time = day.locator(".slot, .no-slots").first
        expect(first_time).to_be_visible()
        assert within_the_screen(page, first_time)

    # The week at a glance: a strip naming all seven days, each a jump to its times.
    page.evaluate("window.scrollTo(0, 0)")
    jumps = picker.get_by_role("navigation", name="Days of this week").get_by_role("link")
    expect(jumps).to_have_count(7)
    for n in range(7):
        assert within_the_screen(page, jumps.nth(n)), f"day link {n + 1} is cut off"
    jumps.nth(6).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "slot-picker-phone-top.png"))
    jumps.nth(6).click()
    expect(days.nth(6).locator(".day-head")).to_be_in_viewport()
    page.screenshot(path=str(artifacts_dir / "slot-picker-phone-last-day.png"))
    page.screenshot(path=str(artifacts_dir / "slot-picker-phone-full.png"), full_page=True)


def test_on_a_desktop_the_week_stays_seven_columns_side_by_side(
    page: Page, live_server, artifacts_dir, claire
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/teachers/claire/")
    expect(page.locator("#slot-picker")).to_have_attribute("data-viewer-zone", "Asia/Tokyo")
    days = page.locator("#slot-picker .day-col")
    expect(days).to_have_count(7)
    tops = {round(days.nth(n).bounding_box()["y"]) for n in range(7)}
    assert len(tops) == 1, "the seven days sit in one row"
    expect(page.get_by_role("navigation", name="Days of this week")).to_be_hidden()
    page.locator("#slot-picker").screenshot(path=str(artifacts_dir / "slot-picker-desktop.png"))
