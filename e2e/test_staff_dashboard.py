"""The staff overview in a browser, on a desktop and on a phone: figures, charts, no sideways
scrolling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from petittalk.accounts.tests.factories import PASSWORD, StaffFactory, StudentFactory
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.newsletter import services as newsletter_services
from petittalk.payments import services as payment_services
from petittalk.payments.tests.helpers import paid_order

pytestmark = pytest.mark.django_db(transaction=True)

STATUSES = [BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.COMPLETED]


def some_weeks_of_activity() -> None:
    now = timezone.now()
    for n in range(0, 80, 3):
        moment = now - dt.timedelta(days=n, hours=n % 5)
        with time_machine.travel(moment, tick=False):
            for status in STATUSES[: 1 + n % 3]:
                BookingFactory(status=status, requested_at=moment)
            order = paid_order(StudentFactory(), f"{18 + n % 9}.00")
            if n % 4 == 0:
                subscriber = newsletter_services.subscriber_subscribe(
                    email=f"reader{n}@example.com", source="/"
                )
                newsletter_services.subscriber_confirm(
                    subscriber_id=subscriber.pk, optin_round=subscriber.optin_round, source="/"
                )
            if n % 9 == 0:
                payment_services.refund_line(
                    line=order.lines.first(),
                    amount=Decimal("6.00"),
                    reason="late start",
                    idempotency_key=f"e2e-{n}",
                )


def test_the_overview_shows_figures_and_charts_on_desktop_and_phone(
    page: Page, live_server, artifacts_dir
):
    some_weeks_of_activity()
    staff = StaffFactory(timezone="Europe/Paris")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    for width, name in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/staff/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
        expect(page.get_by_role("heading", name="Requests waiting")).to_be_visible()
        expect(page.get_by_role("img", name="Bookings per day, last 12 weeks")).to_be_visible()
        expect(page.get_by_role("img", name="Revenue per week, last 12 weeks")).to_be_visible()
        page.screenshot(path=str(artifacts_dir / f"staff-overview-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_text("Revenue per week as a table").click()
    expect(page.get_by_role("columnheader", name="Net")).to_be_visible()
