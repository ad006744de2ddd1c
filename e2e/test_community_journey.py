"""Community in a real Chromium: a student writes a testimonial, staff approve it and an
anonymous visitor sees it on the (cached) home page; the contact form and the offers page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from petittalk.accounts.tests.factories import PASSWORD, StaffFactory, StudentFactory
from petittalk.community.models import ContactMessage
from petittalk.offers.tests.factories import OfferFactory
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
TEXT = "Three months of lessons and I finally ordered in French without panicking."


def shoot(page: Page, folder, name: str) -> None:
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDTHS["desktop"])


def log_in(page: Page, url: str, email: str) -> None:
    page.goto(url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # A `goto` racing the log-in POST would arrive logged out: wait for it to land.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_staff_approve_a_testimonial_and_visitors_see_it_on_the_home_page(
    browser: Browser, live_server, artifacts_dir
):
    shots = artifacts_dir / "community"
    shots.mkdir(exist_ok=True)
    visitor = browser.new_page()  # no cookies of its own: served from the page cache
    visitor.goto(live_server.url + "/")
    expect(visitor.get_by_text(TEXT)).to_have_count(0)

    student = StudentFactory(display_name="Amélie")
    page = browser.new_page()
    log_in(page, live_server.url, student.email)
    page.goto(live_server.url + "/testimonials/")
    page.get_by_role("link", name="Write a testimonial").click()
    page.get_by_label("Your testimonial").fill(TEXT)
    shoot(page, shots, "1-write")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Waiting for review", exact=True)).to_be_visible()
    shoot(page, shots, "2-yours-waiting")

    staff = StaffFactory(display_name="Sophie")
    page.context.clear_cookies()
    log_in(page, live_server.url, staff.email)
    page.goto(live_server.url + "/staff/testimonials/")
    expect(page.get_by_text(TEXT)).to_be_visible()
    shoot(page, shots, "3-staff-queue")
    page.get_by_role("button", name="Approve the testimonial by Amélie").click()
    expect(page.get_by_text("Approved: it shows on the home page now.")).to_be_visible()

    visitor.goto(live_server.url + "/")
    section = visitor.get_by_role("region", name="What our students say")
    expect(section.get_by_text(TEXT)).to_be_visible()
    expect(section.get_by_text("Amélie")).to_be_visible()
    section.scroll_into_view_if_needed()
    shoot(visitor, shots, "4-home-testimonials")


def test_a_visitor_writes_through_the_contact_page_and_sees_every_offer(
    page: Page, live_server, artifacts_dir, mailoutbox
):
    shots = artifacts_dir / "community"
    shots.mkdir(exist_ok=True)
    claire = TeacherProfileFactory(user__display_name="Claire")
    OfferFactory(name="Pack with Claire", code="CLAIRE5", min_lessons=5, teachers=[claire])
    OfferFactory(name="Spring sale", is_featured=True)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Offers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Current offers")
    expect(page.get_by_text("CLAIRE5")).to_be_visible()
    shoot(page, shots, "5-offers")

    page.get_by_role("link", name="Contact", exact=True).click()
    page.get_by_label("Your name").fill("Lea")
    page.get_by_label("Your email").fill("not an address")
    page.get_by_label("Subject").fill("Lessons for two")
    page.get_by_label("Message").fill("Can my partner and I share a lesson?")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid email address.")
    shoot(page, shots, "6-contact-error")
    page.get_by_label("Your email").fill("lea@example.com")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we got your message")
    assert ContactMessage.objects.get().email == "lea@example.com"
    assert len(mailoutbox) == 2
