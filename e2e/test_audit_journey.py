"""A lesson's whole life leaves its trace: paid, accepted, cancelled by staff, refunded; staff
read it on the lesson's page, the order's page and the audit log, on a desktop and a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.test_accessibility import serious_violations
from petittalk.accounts.tests.factories import PASSWORD, StaffFactory, StudentFactory
from petittalk.bookings.services import booking_accept
from petittalk.orders import services as order_services
from petittalk.payments import services
from petittalk.payments.gateways import dummy
from petittalk.payments.tests.helpers import BILLING, held_lessons
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # A `goto` racing the log-in POST would arrive logged out: wait for it to land.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_staff_cancel_a_paid_lesson_and_read_its_whole_history(
    page: Page, live_server, artifacts_dir
):
    teacher = TeacherProfileFactory(user__display_name="Claire", instant_booking=False)
    student = StudentFactory(display_name="Sam Taylor", email="sam@example.com")
    [booking] = held_lessons(student, "22.00", teacher=teacher)  # the hold
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    reference = services.order_payment_start(order=order).reference
    body = dummy.event_body(reference=reference, amount_cents=2200, currency="EUR", failure="")
    services.payment_event_receive(  # the gateway says it is paid
        gateway_name="dummy", body=body, headers={dummy.SIGNATURE_HEADER: dummy.sign(body)}
    )
    booking_accept(booking=booking, by=teacher.user)
    staff = StaffFactory(email="sophie@petittalk.test", timezone="Europe/Paris")
    log_in(page, live_server.url, staff.email)

    # Staff find the lesson in the list, open its page, and cancel it from there.
    page.goto(live_server.url + "/staff/bookings/")
    page.locator(f'a[href="/staff/bookings/{booking.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lesson #{booking.pk}")
    page.get_by_role("link", name="Cancel this lesson").click()
    page.get_by_role("button", name="Cancel the lesson").click()  # the refund task runs at once

    page.goto(live_server.url + f"/staff/bookings/{booking.pk}/")
    history = page.locator("ol.history > li")
    expect(history).to_have_count(4)
    expect(history.nth(0)).to_contain_text("Refunded")
    expect(history.nth(0)).to_contain_text("€22.00")
    expect(history.nth(1)).to_contain_text("Lesson cancelled")
    expect(history.nth(1)).to_contain_text("sophie@petittalk.test")
    expect(history.nth(2)).to_contain_text("Lesson accepted")
    expect(history.nth(3)).to_contain_text("Order paid")
    expect(page.get_by_role("link", name="Cancel this lesson")).to_have_count(0)

    for path, name in (
        (f"/staff/bookings/{booking.pk}/", "staff-booking"),
        (f"/staff/orders/{order.number}/", "staff-order-history"),
        ("/staff/audit/", "staff-audit"),
    ):
        for width, device in ((1280, "desktop"), (390, "phone")):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + path)
            page.screenshot(path=str(artifacts_dir / f"{name}-{device}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)


def test_staff_filter_the_audit_log_by_who_acted(page: Page, live_server):
    staff = StaffFactory(email="sophie@petittalk.test")
    teacher = TeacherProfileFactory(user__display_name="Claire", instant_booking=False)
    student = StudentFactory()
    [booking] = held_lessons(student, "22.00", teacher=teacher)
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    services.order_payment_start(order=order)
    order_services.order_mark_paid(order=order)
    booking_accept(booking=booking, by=teacher.user)
    log_in(page, live_server.url, staff.email)

    page.goto(live_server.url + "/staff/audit/")
    expect(page.locator("tbody tr")).to_have_count(2)
    page.get_by_label("Done by (email)").fill(teacher.user.email)
    page.get_by_role("button", name="Filter").click()

    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("Lesson accepted")
    page.get_by_role("link", name="Show everything").click()
    expect(page.locator("tbody tr")).to_have_count(2)


def test_the_audit_pages_have_no_serious_accessibility_violations(browser: Browser, live_server):
    student = StudentFactory()
    [booking] = held_lessons(student, "22.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    services.order_payment_start(order=order)
    order_services.order_mark_paid(order=order)
    staff = StaffFactory()
    context = browser.new_context(bypass_csp=True)  # axe is injected (see test_accessibility)
    page = context.new_page()
    log_in(page, live_server.url, staff.email)
    page.wait_for_url("**/staff/")

    problems = {}
    for path in (
        "/staff/audit/",
        "/staff/audit/?actor=not-an-email&object_id=7",
        f"/staff/bookings/{booking.pk}/",
        f"/staff/orders/{order.number}/",
    ):
        page.goto(live_server.url + path)
        found = serious_violations(page)
        if found:
            problems[path] = found
    context.close()

    assert problems == {}
