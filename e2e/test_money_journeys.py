"""Money journeys a real student takes: two tabs, a declined card then another try, a phone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.test_checkout_journey import log_in, reserve_slot, teacher
from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.offers.models import OfferKind, OfferRedemption
from petittalk.offers.tests.factories import OfferFactory
from petittalk.orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def continue_to_card_page(page: Page) -> None:
    page.get_by_role("link", name="Checkout").click()
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading", name="Pay")).to_be_visible()


def pay_with(page: Page, card: str) -> None:
    page.get_by_label("Card number").fill(card)
    page.get_by_label("Expiry (MM/YY)").fill("12/40")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name="Pay").click()


def test_an_old_tab_cannot_pay_a_replaced_order_and_leads_to_the_current_one(
    browser: Browser, live_server, artifacts_dir
):
    teacher("Claire Dubois", "claire", "25.00")
    teacher("Thomas Moreau", "thomas", "36.00")
    student = StudentFactory(display_name="Aiko", timezone="Asia/Tokyo")
    context = browser.new_context(timezone_id="Asia/Tokyo")
    first_tab = context.new_page()
    log_in(first_tab, live_server.url, student.email)
    reserve_slot(first_tab, live_server.url, "claire", 0)
    continue_to_card_page(first_tab)  # order A's card page stays open in this tab

    second_tab = context.new_page()
    reserve_slot(second_tab, live_server.url, "thomas", 4)
    continue_to_card_page(second_tab)  # order B, with both lessons, replaces A
    pay_with(first_tab, "4242 4242 4242 4242")

    expect(first_tab.get_by_role("heading", name="replaced by a newer one")).to_be_visible()
    first_tab.screenshot(path=artifacts_dir / "money-old-tab-replaced.png", full_page=True)
    first_tab.get_by_role("link", name="Pay your current order").click()
    pay_with(first_tab, "4242 4242 4242 4242")
    expect(first_tab.get_by_role("heading", name="Merci")).to_be_visible()
    assert list(Order.objects.filter(paid_at__isnull=False).values_list("total", flat=True)) == [
        Decimal("61.00")
    ]
    assert Order.objects.get(status=OrderStatus.ABANDONED).paid_at is None
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.REQUESTED}
    context.close()


def test_after_a_declined_card_the_code_still_applies_and_the_next_card_pays(
    browser: Browser, live_server, artifacts_dir
):
    teacher("Claire Dubois", "claire", "25.00")
    OfferFactory(
        name="Welcome 20%",
        code="BIENVENUE",
        value=Decimal("20"),
        kind=OfferKind.PERCENT,
        max_uses_per_student=1,
    )
    student = StudentFactory(display_name="Sam", timezone="America/New_York")
    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    log_in(page, live_server.url, student.email)
    reserve_slot(page, live_server.url, "claire", 0)
    page.get_by_label("Offer code").fill("bienvenue")
    page.get_by_role("button", name="Apply").click()
    continue_to_card_page(page)

    pay_with(page, "4000 0000 0000 0002")

    expect(page.get_by_text("Your card was declined.")).to_be_visible()
    expect(page.get_by_text("already used this code")).to_have_count(0)
    expect(page.locator(".grand-total dd")).to_have_text("€20.00")
    page.screenshot(path=artifacts_dir / "money-after-decline.png", full_page=True)
    continue_to_card_page(page)
    pay_with(page, "4242 4242 4242 4242")
    expect(page.get_by_role("heading", name="Merci")).to_be_visible()
    assert Order.objects.get(status=OrderStatus.PAID).total == Decimal("20.00")
    assert OfferRedemption.objects.count() == 1
    context.close()


def test_on_a_phone_the_receipt_shows_every_amount_and_the_code_box_stays_usable(
    browser: Browser, live_server, artifacts_dir
):
    teacher("Claire Dubois", "claire", "25.00")
    OfferFactory(name="Welcome 20%", code="BIENVENUE", value=Decimal("20"))
    student = StudentFactory(display_name="Sam", timezone="Europe/London")
    context = browser.new_context(viewport=PHONE, timezone_id="Europe/London")
    page = context.new_page()
    log_in(page, live_server.url, student.email)
    reserve_slot(page, live_server.url, "claire", 0)

    page.get_by_label("Offer code").fill("NOSUCHCODE")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("This code doesn't exist")).to_have_count(1)
    assert page.get_by_label("Offer code").bounding_box()["width"] >= 150
    page.screenshot(path=artifacts_dir / "money-phone-basket-code-error.png", full_page=True)
    page.get_by_role("button", name="Remove code NOSUCHCODE").click()
    page.get_by_label("Offer code").fill("BIENVENUE")
    page.get_by_role("button", name="Apply").click()
    continue_to_card_page(page)
    pay_with(page, "4242 4242 4242 4242")
    page.get_by_role("link", name="Receipt").click()

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for label in ("Discount", "VAT incl.", "Total"):
        cell = page.locator(f'td[data-label="{label}"]').first
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label
    discount = page.locator('td[data-label="Discount"]').first
    assert discount.inner_text().endswith("−€5.00")
    line_height = discount.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    amount_box = page.locator(".receipt-totals .discount dd").first.bounding_box()
    assert amount_box["height"] < 2 * line_height  # "−€5.00" on one line
    page.screenshot(path=artifacts_dir / "money-phone-receipt.png", full_page=True)
    context.close()
