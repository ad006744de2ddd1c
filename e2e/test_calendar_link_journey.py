"""A student asks for their calendar link in account settings; opening the page alone makes none."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from petittalk.accounts.tests.factories import PASSWORD, StudentFactory
from petittalk.bookings.models import CalendarFeed

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_student_creates_their_calendar_link_from_settings(
    page: Page, live_server, artifacts_dir
):
    student = StudentFactory(display_name="Camille", timezone="Europe/Paris")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(student.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # A `goto` racing the log-in POST would arrive logged out: wait for it to land.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(live_server.url + "/dashboard/settings/")

    create = page.get_by_role("button", name="Create my calendar link")
    expect(create).to_be_visible()
    assert not CalendarFeed.objects.filter(user=student).exists()
    page.screenshot(path=str(artifacts_dir / "settings-no-calendar-link-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(
        path=str(artifacts_dir / "settings-no-calendar-link-desktop.png"), full_page=True
    )

    create.click()

    expect(page.get_by_text("Your calendar link is ready.")).to_be_visible()
    token = CalendarFeed.objects.get(user=student).token
    expect(page.get_by_label("Calendar address")).to_have_value(
        f"{live_server.url}/calendar/{token}.ics"
    )
    expect(page.get_by_role("button", name="Create my calendar link")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "settings-calendar-link-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts_dir / "settings-calendar-link-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
