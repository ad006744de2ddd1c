"""The staff overview: this week's and this month's figures and twelve weeks of charts, in the
staff member's own time zone. Each panel is one selector of the app that owns its rows."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from petittalk.accounts import selectors as account_selectors
from petittalk.accounts.access import staff_required
from petittalk.bookings import selectors as booking_selectors
from petittalk.bookings.models import BookingStatus
from petittalk.core import pagecache, versions
from petittalk.core import periods as calendar
from petittalk.core.timefmt import zone_label
from petittalk.newsletter import selectors as newsletter_selectors
from petittalk.orders import selectors as order_selectors
from petittalk.staff import moderation
from petittalk.staff.charts import bar_chart, in_rows
from petittalk.teachers import selectors as teacher_selectors

CHART_WEEKS = 12
# The overview adds up every lesson and payment: recomputing it for every look would cost ~30 ms
# of CPU each time. Its figures are kept for a minute (the page says as of when); changes to the
# staff member's own account and to the testimonials queue still show at once.
FIGURES_FRESH_FOR = dt.timedelta(minutes=1)


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    return pagecache.cached_private_page(
        request,
        name="staff-overview",
        content_versions=lambda: versions.read(
            [versions.person_scope(request.user.pk), versions.TESTIMONIALS]
        ),
        render=lambda: _render_overview(request),
    )


def _render_overview(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    zone = zoneinfo.ZoneInfo(request.viewer_timezone)
    periods = [calendar.this_week(now, zone), calendar.this_month(now, zone)]
    weeks = calendar.last_weeks(now, zone, CHART_WEEKS)
    per_day = booking_selectors.bookings_per_day(period=weeks, zone=zone)
    revenue_weeks = order_selectors.money_per_week(period=weeks, zone=zone)
    bookings_chart = bar_chart(list(per_day.items()), tick_every=7)
    teachers = teacher_selectors.teacher_counts()
    response = render(
        request,
        "staff/home.html",
        {
            "as_of": now,
            "zone_label": zone_label(request.viewer_timezone, now),
            "periods": periods,
            "weeks": weeks,
            "bookings": booking_selectors.booking_counts_by_status(periods=periods),
            "money": order_selectors.money_figures(periods=periods),
            "new_students": account_selectors.new_student_counts(periods=periods),
            "waiting": booking_selectors.requests_waiting(),
            "requested_status": BookingStatus.REQUESTED,
            "newsletter": newsletter_selectors.newsletter_growth(periods=periods),
            "moderation": moderation.pending_moderation(),
            "bookings_chart": bookings_chart,
            "bookings_table": in_rows(bookings_chart.bars, 7),
            "revenue_weeks": revenue_weeks,
            "revenue_chart": bar_chart([(week.monday, week.revenue) for week in revenue_weeks]),
            "stats": {
                "teachers": teachers.teachers,
                "published": teachers.published,
                "students": account_selectors.student_count(),
            },
        },
    )
    response.changes_at = now + FIGURES_FRESH_FOR
    return response
