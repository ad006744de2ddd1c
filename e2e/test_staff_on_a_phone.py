"""Staff pages on a phone (390 px) and on a desktop: nothing scrolls sideways, panels line up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from petittalk.accounts.tests.factories import PASSWORD, StaffFactory, StudentFactory
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.orders import services as order_services
from petittalk.payments import services
from petittalk.payments.gateways import dummy
from petittalk.payments.tests.helpers import BILLING, held_lessons

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def staff_page(page: Page, live_server) -> Page:
    staff = StaffFactory(display_name="Sophie", timezone="Europe/Paris")
    log_in(page, live_server.url, staff.email)
    return page


def test_the_staff_bookings_page_fits_a_phone(staff_page: Page, live_server, artifacts_dir):
    student = StudentFactory(
        display_name="Maximilian Longname-Fitzgerald",
        email="maximilian.longname-fitzgerald@example.com",
    )
    statuses = (BookingStatus.CONFIRMED, BookingStatus.REQUESTED, BookingStatus.CANCELLED)
    for days, status in enumerate(statuses, start=2):
        starts_at = (timezone.now() + dt.timedelta(days=days)).replace(minute=0, microsecond=0)
        BookingFactory(student=student, status=status, starts_at=starts_at)
    page = staff_page
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(live_server.url + "/staff/bookings/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Bookings")
    expect(page.get_by_text("maximilian.longname-fitzgerald@example.com").first).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "staff-bookings-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts_dir / "staff-bookings-desktop.png"), full_page=True)


def test_the_staff_order_page_has_a_title_and_fits(staff_page: Page, live_server, artifacts_dir):
    student = StudentFactory(display_name="Sam Taylor")
    held_lessons(student, "22.00", "14.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    reference = services.order_payment_start(order=order).reference
    body = dummy.event_body(reference=reference, amount_cents=3600, currency="EUR", failure="")
    services.payment_event_receive(
        gateway_name="dummy", body=body, headers={dummy.SIGNATURE_HEADER: dummy.sign(body)}
    )
    line = order.lines.first()
    services.refund_line(
        line=line, amount=line.total / 2, reason="late start", idempotency_key="e2e-refund"
    )
    page = staff_page

    for width, name in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + f"/staff/orders/{order.number}/")
        expect(page).to_have_title(f"Order {order.number} · Staff · Petit Talk")
        expect(page.get_by_role("heading", level=1)).to_contain_text(order.number)
        page.screenshot(path=str(artifacts_dir / f"staff-order-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        lesson = page.get_by_label("Lesson", exact=True)
        assert lesson.evaluate("e => e.getBoundingClientRect().right") <= page.locator(
            ".staff-order-tools .panel"
        ).first.evaluate("e => e.getBoundingClientRect().right")
