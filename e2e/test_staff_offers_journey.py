"""Staff reach the offers through the staff navigation, like every other staff page, and keep
it in view while they create an offer: the Offers tab stays the current one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from petittalk.accounts.tests.factories import PASSWORD, StaffFactory
from petittalk.offers.models import Offer
from petittalk.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_create_an_offer_from_the_staff_navigation(page: Page, live_server, artifacts_dir):
    staff = StaffFactory(display_name="Sophie", timezone="Europe/Paris")
    OfferFactory(name="Welcome offer", code="WELCOME")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/staff/")
    page.screenshot(path=str(artifacts_dir / "staff-overview-desktop.png"), full_page=True)
    staff_nav = page.get_by_role("navigation", name="Staff")

    staff_nav.get_by_role("link", name="Offers").click()

    expect(page).to_have_url(live_server.url + "/staff/offers/")
    expect(staff_nav.get_by_role("link", name="Offers")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("cell", name="Welcome offer", exact=True)).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "staff-offers-desktop.png"), full_page=True)
    page.get_by_role("link", name="New offer").click()
    expect(page).to_have_url(live_server.url + "/staff/offers/new/")
    expect(staff_nav.get_by_role("link", name="Offers")).to_have_attribute("aria-current", "page")
    page.get_by_label("Name").fill("Spring sale")
    page.get_by_label("Description").fill("20% off every lesson.")
    page.get_by_label("Value").fill("20")
    page.evaluate("window.scrollTo(0, 0)")  # typing scrolled; the sticky header would float
    page.screenshot(path=str(artifacts_dir / "staff-offer-form-desktop.png"), full_page=True)
    page.get_by_role("button", name="Save the offer").click()

    expect(page).to_have_url(live_server.url + "/staff/offers/")
    expect(page.get_by_text("The offer “Spring sale” is saved.")).to_be_visible()
    assert Offer.objects.filter(name="Spring sale").exists()
    for path, name in (
        ("/staff/offers/", "staff-offers"),
        ("/staff/offers/new/", "staff-offer-form"),
    ):
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(live_server.url + path)
        page.screenshot(path=str(artifacts_dir / f"{name}-phone.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.set_viewport_size({"width": 1280, "height": 900})
