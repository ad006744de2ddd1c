"""The night Sydney's clocks go back, the picker tells the two 02:00s apart. Real Chromium."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import Browser, expect

from petittalk.scheduling.models import AvailabilityRule, Weekday
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_sydney_visitor_sees_0200_aedt_and_0200_aest(
    browser: Browser, live_server, artifacts_dir, width
):
    teacher = TeacherProfileFactory(
        user__display_name="Claire Dubois", slug="claire", user__timezone="Europe/Paris"
    )
    # Saturday 3 April 2027, 16:00-20:00 in Paris = Sunday 4 April, 01:00 AEDT-03:00 AEST.
    AvailabilityRule.objects.create(
        teacher=teacher, weekday=Weekday.SATURDAY, start_minute=16 * 60, end_minute=20 * 60
    )
    context = browser.new_context(
        timezone_id="Australia/Sydney", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    with time_machine.travel(dt.datetime(2027, 4, 1, 0, 0, tzinfo=dt.UTC), tick=True):
        page.goto(live_server.url + "/teachers/claire/")
        picker = page.locator("#slot-picker")
        expect(picker).to_have_attribute("data-viewer-zone", "Australia/Sydney")
        sunday = picker.get_by_role("region", name="Sunday 4 April")
        for label in ("02:00 AEDT", "02:30 AEDT", "02:00 AEST", "02:30 AEST"):
            expect(sunday.locator("a.slot", has_text=label)).to_have_count(1)
        expect(sunday.locator("a.slot", has_text="01:30")).not_to_contain_text("AEDT")
        sunday.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts_dir / f"slot-picker-sydney-dst-{width}.png"))
    context.close()
