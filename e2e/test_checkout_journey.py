"""Two lessons with two teachers, a code, a card; one teacher accepts, the other declines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from petittalk.accounts.tests.factories import PASSWORD, StudentFactory
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.offers.models import OfferKind
from petittalk.offers.tests.factories import OfferFactory
from petittalk.orders.models import Order, Refund
from petittalk.scheduling.models import AvailabilityRule
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def teacher(name: str, slug: str, price_60: str):
    profile = TeacherProfileFactory(
        user__display_name=name,
        slug=slug,
        price_60=Decimal(price_60),
        user__timezone="Europe/Paris",
    )
    AvailabilityRule.objects.bulk_create(
        AvailabilityRule(teacher=profile, weekday=d, start_minute=8 * 60, end_minute=20 * 60)
        for d in range(7)
    )
    return profile


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # A `goto` racing the log-in POST would arrive logged out: wait for it to land.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def reserve_slot(page: Page, base_url: str, slug: str, nth: int) -> None:
    page.goto(f"{base_url}/teachers/{slug}/")
    page.locator("a.slot").nth(nth).click()
    page.get_by_label("Your French level").select_option("B1")
    page.get_by_label("What is the lesson for?").select_option("conversation")
    page.get_by_role("button", name="Reserve this lesson").click()
    expect(page).to_have_url(base_url + "/basket/")


def check_out_with(page: Page, card: str) -> None:
    page.get_by_role("link", name="Checkout").click()
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_label("Card number").fill(card)
    page.get_by_label("Expiry (MM/YY)").fill("12/40")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name="Pay").click()


def test_two_lessons_a_code_one_accepted_one_declined_and_refunded(
    browser: Browser, live_server, artifacts_dir
):
    shots = artifacts_dir / "checkout-journey"
    shots.mkdir(exist_ok=True)
    claire = teacher("Claire Dubois", "claire", "25.00")
    thomas = teacher("Thomas Moreau", "thomas", "36.00")
    OfferFactory(name="Welcome 20%", code="BIENVENUE", value=Decimal("20"), kind=OfferKind.PERCENT)
    student = StudentFactory(display_name="Aiko", timezone="Asia/Tokyo")

    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    log_in(page, live_server.url, student.email)
    reserve_slot(page, live_server.url, "claire", 0)
    reserve_slot(page, live_server.url, "thomas", 2)
    expect(page.locator("#basket-count")).to_contain_text("2")

    page.get_by_label("Offer code").fill("bienvenue")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Code BIENVENUE applied.")).to_be_visible()
    expect(page.locator(".grand-total")).to_contain_text("€48.80")  # (25 + 36) × 0.8
    page.screenshot(path=str(shots / "1-basket-with-code.png"), full_page=True)

    check_out_with(page, "4242 4242 4242 4242")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci")
    page.screenshot(path=str(shots / "2-paid.png"), full_page=True)
    order = Order.objects.get(student=student)
    assert order.status == "paid" and order.total == Decimal("48.80")

    claire_lesson = Booking.objects.get(student=student, teacher=claire)
    thomas_lesson = Booking.objects.get(student=student, teacher=thomas)
    for profile, action in ((claire, "accept"), (thomas, "decline")):
        teacher_context = browser.new_context(timezone_id="Europe/Paris")
        teacher_page = teacher_context.new_page()
        log_in(teacher_page, live_server.url, profile.user.email)
        requests = teacher_page.get_by_role("region", name="Requests to answer")
        if action == "accept":
            requests.get_by_role("button", name="Accept").click()
        else:
            requests.get_by_role("link", name="Decline").click()
            teacher_page.get_by_label("Reason").fill("Sorry, I am away that week.")
            teacher_page.get_by_role("button", name="Decline the request").click()
        expect(teacher_page.locator(".messages")).to_be_visible()
        teacher_context.close()

    claire_lesson.refresh_from_db()
    thomas_lesson.refresh_from_db()
    assert claire_lesson.status == BookingStatus.CONFIRMED
    assert thomas_lesson.status == BookingStatus.DECLINED
    refund = Refund.objects.get()
    assert refund.amount == Decimal("28.80") and refund.status == "succeeded"  # 36 × 0.8

    page.goto(live_server.url + "/dashboard/student/")
    expect(page.get_by_role("region", name="Upcoming lessons")).to_contain_text("Claire Dubois")
    expect(page.get_by_role("region", name="Cancelled, declined and lapsed")).to_contain_text(
        "Thomas Moreau"
    )
    page.goto(f"{live_server.url}/dashboard/orders/{order.number}/")
    expect(page.get_by_role("region", name="Refunds")).to_contain_text("−€28.80")
    page.screenshot(path=str(shots / "3-receipt-with-refund.png"), full_page=True)
    context.close()


def test_a_declined_card_leaves_both_lessons_in_the_basket(
    browser: Browser, live_server, artifacts_dir
):
    teacher("Claire Dubois", "claire", "25.00")
    teacher("Thomas Moreau", "thomas", "36.00")
    student = StudentFactory(display_name="Ben", timezone="Europe/London")
    page = browser.new_context(timezone_id="Europe/London").new_page()
    log_in(page, live_server.url, student.email)
    reserve_slot(page, live_server.url, "claire", 0)
    reserve_slot(page, live_server.url, "thomas", 2)  # an hour later: no overlap
    reserve_slot(page, live_server.url, "thomas", 6)
    expect(page.locator("#basket-count")).to_contain_text("3")
    page.evaluate("window.stillTheSamePage = true")
    page.locator(".basket-lines .lesson").nth(2).get_by_role("button", name="Remove").click()
    expect(page.locator("#basket-count")).to_contain_text("2")  # updated in place
    expect(page.locator(".basket-lines .lesson")).to_have_count(2)
    assert page.evaluate("window.stillTheSamePage") is True

    check_out_with(page, "4000 0000 0000 0002")

    expect(page).to_have_url(live_server.url + "/basket/")
    expect(page.get_by_text("Your card was declined.")).to_be_visible()
    expect(page.locator(".basket-lines .lesson")).to_have_count(2)
    page.screenshot(path=str(artifacts_dir / "checkout-declined.png"), full_page=True)
    statuses = sorted(Booking.objects.filter(student=student).values_list("status", flat=True))
    assert statuses == ["expired", "held", "held"]  # the removed one, and the two still held
