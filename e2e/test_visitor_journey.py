"""A new visitor signs up, browses the directory and opens a teacher — in a real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from petittalk.accounts.models import Role, User
from petittalk.teachers.models import Specialty
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_visitor_signs_up_finds_a_teacher_and_opens_their_page(
    page: Page, live_server, artifacts_dir, mailoutbox
):
    TeacherProfileFactory(
        user__display_name="Claire Dubois",
        slug="claire",
        headline="Conversation from Paris",
        specialties=["conversation"],
        price_60="25.00",
    )
    TeacherProfileFactory(
        user__display_name="Thomas Moreau",
        slug="thomas",
        headline="DELF examiner",
        specialties=["exam-prep"],
    )
    shots = artifacts_dir / "visitor-journey"
    shots.mkdir(exist_ok=True)

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Speak French")
    page.screenshot(path=str(shots / "1-home.png"), full_page=True)

    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_label("Your time zone")).to_have_value("Asia/Tokyo")
    page.get_by_label("Email").fill("nora@example.com")
    page.get_by_label("Your name").fill("Nora")
    page.get_by_label("Password", exact=True).fill("une-phrase-secrete-42")
    page.get_by_label("Password (again)").fill("une-phrase-secrete-42")
    page.screenshot(path=str(shots / "2-signup.png"), full_page=True)
    page.get_by_role("button", name="Create my account").click()

    # Nobody is logged in before confirming: a taken address gets this very same page.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify Your Email Address")
    page.screenshot(path=str(shots / "3-check-your-email.png"), full_page=True)
    link = next(line for line in mailoutbox[-1].body.splitlines() if "/confirm-email/" in line)
    page.goto(live_server.url + link[link.index("/accounts/") :].strip())
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour Nora")
    page.screenshot(path=str(shots / "4-dashboard.png"), full_page=True)
    nora = User.objects.get(email="nora@example.com")
    assert nora.role == Role.STUDENT and nora.timezone == "Asia/Tokyo"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Find a teacher").click()
    expect(page.get_by_text("2 teachers")).to_be_visible()
    page.get_by_label("Specialty").select_option(Specialty.objects.get(slug="exam-prep").slug)
    expect(page.get_by_text("1 teacher", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Thomas Moreau")).to_be_visible()
    page.get_by_label("Specialty").select_option("")
    expect(page.get_by_text("2 teachers")).to_be_visible()
    page.screenshot(path=str(shots / "5-directory.png"), full_page=True)

    page.get_by_role("link", name="Claire Dubois").click()
    expect(page).to_have_url(live_server.url + "/teachers/claire/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Claire Dubois")
    expect(page.get_by_text("€25.00")).to_be_visible()
    page.screenshot(path=str(shots / "6-teacher.png"), full_page=True)


def test_the_menu_works_on_a_phone_with_the_keyboard(page: Page, live_server, artifacts_dir):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    nav = page.locator("#site-nav")
    expect(nav).to_be_hidden()

    toggle = page.get_by_role("button", name="Menu")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=str(artifacts_dir / "home-phone-menu.png"))
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
