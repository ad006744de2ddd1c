"""Reviews in a real Chromium: a student reviews a completed lesson from their dashboard and the
teacher's average changes on the teacher page; the teacher replies; staff hide a review."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from petittalk.accounts.tests.factories import PASSWORD, StaffFactory, StudentFactory
from petittalk.reviews import services
from petittalk.reviews.models import Review
from petittalk.reviews.tests.factories import CompletedBookingFactory
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def shoot(page: Page, folder, name: str) -> None:
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDTHS["desktop"])


def log_in(page: Page, base_url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Wait for the log-in to land: a `goto` racing the form's POST would arrive logged out.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_student_reviews_a_completed_lesson_and_the_teachers_average_changes(
    page: Page, live_server, artifacts_dir
):
    shots = artifacts_dir / "reviews"
    shots.mkdir(exist_ok=True)
    teacher = TeacherProfileFactory(is_published=True, user__display_name="Claire Martin")
    earlier = CompletedBookingFactory(teacher=teacher)
    services.review_create(
        student=earlier.student, booking=earlier, rating=5, text="Wonderful <b>teacher</b>"
    )
    student = StudentFactory(display_name="Sam Student")
    CompletedBookingFactory(teacher=teacher, student=student)

    page.goto(live_server.url + teacher.get_absolute_url())
    expect(page.locator(".rating-big")).to_contain_text("5.0")

    log_in(page, live_server.url, student.email)
    page.goto(live_server.url + "/dashboard/")
    page.get_by_role("link", name="Review this lesson").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review this lesson")
    page.get_by_label("2 ★").check()
    page.get_by_label("Your review (optional)").fill("Nice, but <i>too fast</i> for me.")
    shoot(page, shots, "1-review-form")
    page.get_by_role("button", name="Send my review").click()
    expect(page.get_by_text("Thank you for your review.")).to_be_visible()
    expect(page.get_by_role("link", name="Edit review")).to_be_visible()
    shoot(page, shots, "2-dashboard-after")

    page.context.clear_cookies()  # a visitor again: the cached page
    page.goto(live_server.url + teacher.get_absolute_url())
    expect(page.locator(".rating-big")).to_contain_text("3.5")
    expect(page.locator(".rating-big")).to_contain_text("2 reviews")
    expect(page.get_by_text("Nice, but <i>too fast</i> for me.")).to_be_visible()
    page.locator("#reviews-heading").scroll_into_view_if_needed()
    shoot(page, shots, "3-teacher-page")

    log_in(page, live_server.url, teacher.user.email)
    page.goto(live_server.url + "/reviews/mine/")
    page.get_by_label(re.compile("Reply to Sam Student")).fill("Merci Sam, next time slower!")
    page.get_by_role("button", name="Reply").first.click()
    expect(page.get_by_text("Your reply is published under the review.")).to_be_visible()
    shoot(page, shots, "4-teacher-reviews")

    staff = StaffFactory()
    log_in(page, live_server.url, staff.email)
    page.goto(live_server.url + "/staff/reviews/")
    shoot(page, shots, "5-staff-reviews")
    mine = Review.objects.get(student=student)
    page.get_by_label("Reason (the author sees it)").nth(0).fill("Test of hiding")
    page.locator(f"form[action='/staff/reviews/{mine.pk}/hide/'] button").click()
    expect(page.get_by_text("The review is hidden from the teacher's page.")).to_be_visible()
    mine.refresh_from_db()
    assert mine.is_hidden

    page.context.clear_cookies()
    page.goto(live_server.url + teacher.get_absolute_url())
    expect(page.locator(".rating-big")).to_contain_text("5.0")
    expect(page.get_by_text("too fast")).to_have_count(0)
