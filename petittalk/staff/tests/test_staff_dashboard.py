"""The staff overview: this week's and this month's figures and twelve weeks of charts, in the
staff member's own time zone. Every expected figure below is counted by plain Python over the
rows the scenario made, by local calendar dates, never by asking the selectors."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petittalk.accounts.models import Role, User
from petittalk.accounts.tests.factories import StaffFactory, StudentFactory, UserFactory
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.community import models as community
from petittalk.community.tests import factories as community_factories
from petittalk.newsletter import services as newsletter_services
from petittalk.newsletter.models import ConsentKind, ConsentRecord
from petittalk.orders.models import Order, Refund, RefundStatus
from petittalk.payments import services as payment_services
from petittalk.payments.tests.helpers import paid_order
from petittalk.reviews.tests.factories import ReviewFactory
from petittalk.testing.caches import forget_cached_content

pytestmark = pytest.mark.django_db

UTC = dt.UTC
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Wednesday 18 March 2026, 13:00 in Paris (CET, UTC+1).
NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
# Moments chosen around the edges of the Paris week (from Mon 16 Mar) and month (from 1 Mar).
MOMENTS = [
    dt.datetime(2025, 12, 20, 10, 0, tzinfo=UTC),  # before the twelve weeks
    dt.datetime(2026, 1, 5, 10, 0, tzinfo=UTC),  # in the charts only
    dt.datetime(2026, 2, 28, 22, 30, tzinfo=UTC),  # Sat 28 Feb 23:30 in Paris: last month
    dt.datetime(2026, 2, 28, 23, 30, tzinfo=UTC),  # Sun 1 Mar 00:30 in Paris: this month
    dt.datetime(2026, 3, 10, 9, 0, tzinfo=UTC),
    dt.datetime(2026, 3, 15, 22, 30, tzinfo=UTC),  # Sun 23:30 in Paris: last week
    dt.datetime(2026, 3, 15, 23, 30, tzinfo=UTC),  # Mon 00:30 in Paris: this week
    dt.datetime(2026, 3, 18, 8, 0, tzinfo=UTC),
]
SHOWN_STATUSES = [
    BookingStatus.REQUESTED,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
    BookingStatus.DECLINED,
    BookingStatus.EXPIRED,
    BookingStatus.CANCELLED,
]


def local_day(moment: dt.datetime, zone=PARIS) -> dt.date:
    return moment.astimezone(zone).date()


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def in_week(moment, now=NOW, zone=PARIS) -> bool:
    return moment is not None and monday(local_day(moment, zone)) == monday(local_day(now, zone))


def in_month(moment, now=NOW, zone=PARIS) -> bool:
    if moment is None:
        return False
    day, today = local_day(moment, zone), local_day(now, zone)
    return (day.year, day.month) == (today.year, today.month)


def staff_page(client, zone="Europe/Paris"):
    client.force_login(StaffFactory(timezone=zone))
    response = client.get("/staff/")
    assert response.status_code == 200
    return response


def build_a_season_of_activity():
    """Bookings in every status, paid orders with refunds, sign-ups and newsletter traffic,
    each at one of MOMENTS, through the real services where there is one."""
    for n, moment in enumerate(MOMENTS):
        with time_machine.travel(moment, tick=False):
            for status in SHOWN_STATUSES[: 1 + n % len(SHOWN_STATUSES)]:
                BookingFactory(status=status, requested_at=moment)
            BookingFactory(status=BookingStatus.HELD, hold_expires_at=moment)  # a basket only
            StudentFactory.create_batch(1 + n % 3)
            order = paid_order(StudentFactory(), f"{20 + n}.00", "15.50")
            subscriber = newsletter_services.subscriber_subscribe(
                email=f"reader{n}@example.com", source="/"
            )
            newsletter_services.subscriber_confirm(
                subscriber_id=subscriber.pk, optin_round=subscriber.optin_round, source="/"
            )
        # A day later (or still this week for the last ones): part of it goes back, and one
        # reader in two leaves.
        later = min(moment + dt.timedelta(days=1), NOW - dt.timedelta(minutes=1))
        with time_machine.travel(later, tick=False):
            payment_services.refund_line(
                line=order.lines.first(),
                amount=Decimal("5.00") + n,
                reason="by hand",
                idempotency_key=f"refund-{n}",
            )
            if n % 2:
                newsletter_services.subscriber_unsubscribe(
                    subscriber=subscriber, source="/unsubscribe/", shown="Unsubscribe"
                )


@time_machine.travel(NOW, tick=False)
def test_a_non_staff_user_gets_a_404(client):
    for role in (Role.STUDENT, Role.TEACHER):
        client.force_login(UserFactory(role=role))
        assert client.get("/staff/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_figures_equal_the_rows_counted_by_hand(client):
    build_a_season_of_activity()
    bookings = list(Booking.objects.all())
    orders = list(Order.objects.exclude(paid_at=None))
    refunds = list(Refund.objects.filter(status=RefundStatus.SUCCEEDED))
    students = list(User.objects.filter(role=Role.STUDENT))
    consents = list(ConsentRecord.objects.all())

    context = staff_page(client).context

    periods = (in_week, in_month)
    by_status = {row.status: row.counts for row in context["bookings"].rows}
    for status in SHOWN_STATUSES:
        expected = tuple(
            sum(1 for b in bookings if b.status == status and within(b.requested_at))
            for within in periods
        )
        assert by_status[status] == expected, status
    assert context["bookings"].totals == tuple(
        sum(1 for b in bookings if b.requested_at and within(b.requested_at)) for within in periods
    )
    assert BookingStatus.HELD not in by_status  # a basket is not a booking yet

    for figures, within in zip(context["money"], periods, strict=True):
        revenue = sum((o.total for o in orders if within(o.paid_at)), Decimal("0.00"))
        refunded = sum((r.amount for r in refunds if within(r.completed_at)), Decimal("0.00"))
        assert (figures.revenue, figures.refunds, figures.net) == (
            revenue,
            refunded,
            revenue - refunded,
        )
        assert figures.revenue > 0 and figures.refunds > 0  # the scenario has both in each

    assert context["new_students"] == tuple(
        sum(1 for s in students if within(s.date_joined)) for within in periods
    )

    for growth, within in zip(context["newsletter"], periods, strict=True):
        confirmed = sum(1 for c in consents if c.kind == ConsentKind.CONFIRM and within(c.at))
        left = sum(1 for c in consents if c.kind == ConsentKind.UNSUBSCRIBE and within(c.at))
        assert (growth.confirmed, growth.unsubscribed, growth.net) == (
            confirmed,
            left,
            confirmed - left,
        )

    waiting = [b for b in bookings if b.status == BookingStatus.REQUESTED]
    assert context["waiting"].count == len(waiting)
    assert context["waiting"].oldest == min(b.requested_at for b in waiting)


@time_machine.travel(NOW, tick=False)
def test_the_charts_count_twelve_paris_weeks_by_day_and_by_week(client):
    build_a_season_of_activity()
    first_day = monday(local_day(NOW)) - dt.timedelta(weeks=11)
    days = [first_day + dt.timedelta(days=n) for n in range(84)]
    per_day = Counter(local_day(b.requested_at) for b in Booking.objects.exclude(requested_at=None))
    mondays = days[::7]
    revenue = Counter()
    for order in Order.objects.exclude(paid_at=None):
        revenue[monday(local_day(order.paid_at))] += order.total
    refunded = Counter()
    for refund in Refund.objects.filter(status=RefundStatus.SUCCEEDED):
        refunded[monday(local_day(refund.completed_at))] += refund.amount

    context = staff_page(client).context

    assert [(bar.day, bar.value) for bar in context["bookings_chart"].bars] == [
        (day, per_day[day]) for day in days
    ]
    assert [(week.monday, week.revenue, week.refunds) for week in context["revenue_weeks"]] == [
        (day, revenue[day] or Decimal("0.00"), refunded[day] or Decimal("0.00")) for day in mondays
    ]
    assert sum(per_day[day] for day in days) < Booking.objects.exclude(requested_at=None).count()


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_the_figures_as_text_and_accessible_svg(client):
    build_a_season_of_activity()

    page = staff_page(client).content.decode()

    assert "This week" in page and "This month" in page
    assert page.count("<svg") == 2 and page.count("<title") >= 2 and "<desc" in page
    assert "Bookings per day" in page and "Revenue per week" in page
    assert "<table" in page  # the figures behind each chart, for screen readers and copying
    assert "€" in page  # amounts through the money filter
    assert "Requests waiting" in page


# Sunday 29 March 2026: Paris springs forward at 02:00 CET to 03:00 CEST. This week (Mon 23 to
# Sun 29 Mar) is 167 hours long; it began at 23:00 UTC on the 22nd, while now is UTC+2.
DST_NOW = dt.datetime(2026, 3, 29, 20, 0, tzinfo=UTC)
DST_MOMENTS = [
    dt.datetime(2026, 3, 22, 22, 30, tzinfo=UTC),  # Sun 22 Mar 23:30 CET: last week
    dt.datetime(2026, 3, 22, 23, 30, tzinfo=UTC),  # Mon 23 Mar 00:30 CET: this week
    dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # Sun 29 Mar 01:30 CET, before the change
    dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # Sun 29 Mar 03:30 CEST, after it
]


@time_machine.travel(DST_NOW, tick=False)
def test_a_week_spanning_the_change_to_summer_time_counts_by_paris_dates(client):
    for moment in DST_MOMENTS:
        with time_machine.travel(moment, tick=False):
            BookingFactory(status=BookingStatus.CONFIRMED, requested_at=moment)
            StudentFactory()
            paid_order(StudentFactory(), "30.00")
    bookings = list(Booking.objects.exclude(requested_at=None))
    orders = list(Order.objects.exclude(paid_at=None))

    context = staff_page(client).context

    def this_week(moment):
        return in_week(moment, now=DST_NOW)

    assert context["bookings"].totals[0] == sum(1 for b in bookings if this_week(b.requested_at))
    assert context["money"][0].revenue == sum(o.total for o in orders if this_week(o.paid_at))
    assert context["new_students"][0] == sum(
        1 for s in User.objects.filter(role=Role.STUDENT) if this_week(s.date_joined)
    )
    bars = {bar.day: bar.value for bar in context["bookings_chart"].bars}
    per_day = Counter(local_day(b.requested_at) for b in bookings)
    for day in (dt.date(2026, 3, 22), dt.date(2026, 3, 23), dt.date(2026, 3, 29)):
        assert bars[day] == per_day[day]
    weeks = {week.monday: week.revenue for week in context["revenue_weeks"]}
    assert weeks[dt.date(2026, 3, 23)] == sum(o.total for o in orders if this_week(o.paid_at))


def queries(client) -> int:
    forget_cached_content()  # the work behind the page, not the minute-long cache in front of it
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/staff/").status_code == 200
    return len(captured)


@time_machine.travel(NOW, tick=False)
def test_the_overview_costs_the_same_queries_with_few_or_many_rows(client):
    client.force_login(StaffFactory(timezone="Europe/Paris"))
    with time_machine.travel(MOMENTS[-1], tick=False):
        BookingFactory(status=BookingStatus.REQUESTED, requested_at=MOMENTS[-1])
        paid_order(StudentFactory(), "20.00")
    few = queries(client)
    build_a_season_of_activity()
    assert Booking.objects.count() > 40
    assert queries(client) == few


@time_machine.travel(NOW, tick=False)
def test_the_moderation_panel_counts_each_queue_and_links_to_it(client):
    community_factories.TestimonialFactory.create_batch(2)  # waiting
    community_factories.TestimonialFactory(status=community.TestimonialStatus.APPROVED)
    ReviewFactory()  # written just now
    ReviewFactory(created_at=NOW - dt.timedelta(days=8))  # older than a week
    ReviewFactory(is_hidden=True, hidden_reason="Insults")
    community_factories.ContactMessageFactory.create_batch(3)
    community_factories.ContactMessageFactory(handled_at=NOW)

    panel = staff_page(client).content.decode().split("Waiting for moderation")[1]

    expected = [
        ("Testimonials to approve", 2, "/staff/testimonials/"),
        ("Reviews written in the last 7 days", 1, "/staff/reviews/"),
        ("Contact messages to answer", 3, "/staff/contact/"),
    ]
    for label, count, url in expected:
        assert f'<a href="{url}">{label}</a> <span class="kpi-count">{count}</span>' in panel


@time_machine.travel(NOW, tick=False)
def test_the_figures_are_kept_a_minute_and_say_as_of_when(client):
    client.force_login(StaffFactory(timezone="Europe/Paris"))
    first = client.get("/staff/")
    assert "Figures as of 13:00" in first.text  # NOW in Paris
    StudentFactory(date_joined=NOW)

    with CaptureQueriesContext(connection) as captured:
        again = client.get("/staff/")
    assert len(captured) == 3  # session, user, versions
    assert again.context is None  # no template rendered: the page came from the cache
    assert "Figures as of 13:00" in again.text

    with time_machine.travel(NOW + dt.timedelta(minutes=1, seconds=1), tick=False):
        later = client.get("/staff/")
    assert "Figures as of 13:01" in later.text
    assert later.context["new_students"] != first.context["new_students"]
