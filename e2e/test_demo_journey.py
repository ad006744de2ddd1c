"""The demo as `make demo` seeds it: intro videos that play, and Sam's lessons with receipts."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from petittalk.orders.models import Order

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SAM = "sam@example.com"
# Functions, not strings: the page's CSP forbids eval, which string predicates need.
LOADED_DURATION = """v => new Promise(done => v.readyState >= 1
    ? done(v.duration)
    : v.addEventListener("loadedmetadata", () => done(v.duration)))"""
PLAYED_FOR_HALF_A_SECOND = """v => new Promise((done, fail) => {
    v.muted = true;
    v.addEventListener("timeupdate", () => v.currentTime > 0.5 && done(v.currentTime));
    v.play().catch(fail);
})"""


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


@pytest.mark.parametrize("slug", ["claire", "julien"])
def test_demo_teachers_intro_video_loads_and_plays_in_chromium(
    page: Page, demo, artifacts_dir, slug
):
    shots = artifacts_dir / "demo"
    shots.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{demo}/teachers/{slug}/")

    video = page.locator("video")
    expect(video).to_be_visible()
    duration = video.evaluate(LOADED_DURATION)
    assert duration > 2
    assert video.evaluate("v => v.error") is None
    assert video.evaluate(PLAYED_FOR_HALF_A_SECOND) > 0.5
    video.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"{slug}-video-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    video.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"{slug}-video-phone.png"), full_page=True)


def test_sam_sees_a_receipt_for_every_paid_demo_lesson(page: Page, demo, artifacts_dir):
    shots = artifacts_dir / "demo"
    shots.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.goto(demo + "/accounts/login/")
    page.fill("input[name=login]", "sam@example.com")
    page.fill("input[name=password]", "petittalk-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour Sam")
    page.screenshot(path=str(shots / "sam-dashboard-desktop.png"), full_page=True)

    page.get_by_role("link", name="My orders and receipts").click()
    expect(page.get_by_text("No order yet")).to_have_count(0)
    numbers = list(Order.objects.filter(student__email=SAM).values_list("number"))
    assert len(numbers) == 8
    for (number,) in numbers:
        expect(page.get_by_text(number)).to_be_visible()
    page.screenshot(path=str(shots / "sam-orders-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(shots / "sam-orders-phone.png"), full_page=True)

    declined = Order.objects.get(lines__booking__status="declined", student__email=SAM)
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name=declined.number).click()
    refunds = page.get_by_role("region", name="Refunds")
    expect(refunds.get_by_text(f"−€{declined.total}")).to_be_visible()
    expect(page.locator(".badge")).to_have_text("Refunded")
    page.screenshot(path=str(shots / "sam-declined-receipt-desktop.png"), full_page=True)
