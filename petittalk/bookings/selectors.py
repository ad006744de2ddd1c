"""Reads about bookings, always scoped to the person looking (another's booking is a 404)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page
from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404

from petittalk.accounts.models import Role, User
from petittalk.bookings.models import (
    ANSWER_WITHIN,
    BLOCKING_STATUSES,
    FREE_CANCELLATION_BEFORE,
    Booking,
    BookingStatus,
    CalendarFeed,
)
from petittalk.core import content_cache, versions
from petittalk.core.paging import page_of
from petittalk.core.periods import Period
from petittalk.scheduling.selectors import time_off_intervals, weekly_rules
from petittalk.scheduling.slots import Interval, free_slots
from petittalk.teachers.models import TeacherProfile

# --- free slots: the teacher's rules and time off (scheduling) less the bookings (here) ---------


def blocking_bookings_q(now: dt.datetime) -> Q:
    """Bookings that occupy time: a hold only until it lapses, the other states for good."""
    return Q(status__in=[s for s in BLOCKING_STATUSES if s != BookingStatus.HELD]) | Q(
        status=BookingStatus.HELD, hold_expires_at__gt=now
    )


@dataclass(frozen=True)
class FreeSlots:
    """Free start times (UTC) and the first moment the list may change by time alone: a slot
    passing the notice or horizon limit, a hold lapsing, a slot entering the last 24 hours."""

    starts: list[dt.datetime]
    changes_at: dt.datetime


@dataclass(frozen=True)
class _Candidates:
    """Every start in a window the teacher's rules, time off and bookings leave free, before the
    notice and horizon limits (which depend on the hour asked), and when that may change."""

    starts: list[dt.datetime]
    holds_lapse_at: dt.datetime | None


# A week's candidates stay valid until a version moves or a hold lapses; this only bounds how
# long an unused entry lingers.
CANDIDATES_CACHE_SECONDS = 15 * 60


def teacher_free_slots(
    teacher: TeacherProfile,
    *,
    window_start: dt.datetime,
    window_end: dt.datetime,
    duration_minutes: int,
    now: dt.datetime,
    ignore_booking_id: int | None = None,
) -> list[dt.datetime]:
    """Free start times (UTC) in the window: rules - time off - bookings ± buffer - notice/horizon.

    `ignore_booking_id` leaves one booking out of the busy ones (when rescheduling it).
    """
    return teacher_week_slots(
        teacher,
        window_start=window_start,
        window_end=window_end,
        duration_minutes=duration_minutes,
        now=now,
        ignore_booking_id=ignore_booking_id,
    ).starts


def teacher_week_slots(
    teacher: TeacherProfile,
    *,
    window_start: dt.datetime,
    window_end: dt.datetime,
    duration_minutes: int,
    now: dt.datetime,
    ignore_booking_id: int | None = None,
) -> FreeSlots:
    """The free slots of `teacher_free_slots`, with when they next change by time alone.

    The candidates (rules - time off - bookings) are cached per teacher, window and lesson
    length under the teacher's calendar version (core/versions.py), so any booking, hold, rule
    or time off change is seen at once; notice and horizon are applied here, to the hour.
    Costs one query when cached (the version), four when not.
    """
    notice = dt.timedelta(hours=teacher.min_notice_hours)
    horizon = dt.timedelta(days=teacher.horizon_days)
    if ignore_booking_id is None:
        candidates = _cached_candidates(teacher, window_start, window_end, duration_minutes, now)
    else:  # one student's reschedule: not worth sharing
        candidates = _candidates(
            teacher, window_start, window_end, duration_minutes, now, ignore_booking_id
        )
    earliest, latest = now + notice, now + horizon
    starts = [s for s in candidates.starts if earliest <= s <= latest]
    # Instants after `now` at which some candidate crosses a limit, or a hold stops blocking.
    moments = [
        moment
        for s in candidates.starts
        for moment in (s - notice, s - horizon, s - FREE_CANCELLATION_BEFORE)
        if moment > now
    ]
    if candidates.holds_lapse_at is not None:
        moments.append(candidates.holds_lapse_at)
    return FreeSlots(starts=starts, changes_at=min(moments, default=window_end))


def _cached_candidates(
    teacher: TeacherProfile,
    window_start: dt.datetime,
    window_end: dt.datetime,
    duration_minutes: int,
    now: dt.datetime,
) -> _Candidates:
    (version,) = versions.read([versions.teacher_scope(teacher.pk)])
    # Everything else the computation reads from the teacher's profile is in the key, so a
    # settings change needs no bump of its own.
    key = ":".join(
        str(part)
        for part in (
            "free-slots",
            teacher.pk,
            version,
            window_start.timestamp(),
            window_end.timestamp(),
            duration_minutes,
            teacher.slot_step_minutes,
            teacher.buffer_minutes,
            teacher.user.timezone,
        )
    )
    cached = content_cache.get(key)
    if isinstance(cached, _Candidates) and (
        cached.holds_lapse_at is None or cached.holds_lapse_at > now
    ):
        return cached
    candidates = _candidates(teacher, window_start, window_end, duration_minutes, now, None)
    lifetime = CANDIDATES_CACHE_SECONDS
    if candidates.holds_lapse_at is not None:
        lifetime = min(lifetime, (candidates.holds_lapse_at - now).total_seconds())
    content_cache.put(key, candidates, seconds=lifetime)
    return candidates


def _candidates(
    teacher: TeacherProfile,
    window_start: dt.datetime,
    window_end: dt.datetime,
    duration_minutes: int,
    now: dt.datetime,
    ignore_booking_id: int | None,
) -> _Candidates:
    """Three queries whatever the number of bookings: rules, time off, busy bookings."""
    duration = dt.timedelta(minutes=duration_minutes)
    buffer = dt.timedelta(minutes=teacher.buffer_minutes)
    # A slot starting just before the window's end still runs for `duration` past it.
    reach_start, reach_end = window_start - buffer - duration, window_end + duration + buffer
    time_off = time_off_intervals(teacher, start=reach_start, end=reach_end)
    busy_bookings = Booking.objects.filter(
        blocking_bookings_q(now), teacher=teacher, starts_at__lt=reach_end, ends_at__gt=reach_start
    )
    if ignore_booking_id is not None:
        busy_bookings = busy_bookings.exclude(pk=ignore_booking_id)
    rows = list(busy_bookings.values_list("starts_at", "ends_at", "hold_expires_at", "status"))
    lapses = [held_until for _, _, held_until, status in rows if status == BookingStatus.HELD]
    starts = free_slots(
        rules=weekly_rules(teacher),
        time_off=time_off,
        busy=[Interval(start, end) for start, end, _, _ in rows],
        zone=zoneinfo.ZoneInfo(teacher.user.timezone),
        window_start=window_start,
        window_end=window_end,
        duration=duration,
        step=dt.timedelta(minutes=teacher.slot_step_minutes),
        # No limit from the hour asked: the caller applies notice and horizon to its own `now`.
        notice=dt.timedelta(0),
        horizon=window_end - window_start,
        buffer=buffer,
        now=window_start,
    )
    return _Candidates(starts=starts, holds_lapse_at=min(lapses, default=None))


def bookings_visible_to(user: User) -> QuerySet[Booking]:
    bookings = Booking.objects.select_related("teacher__user", "student")
    if user.role == Role.STAFF:
        return bookings
    if user.role == Role.TEACHER:
        return bookings.filter(teacher__user=user)
    return bookings.filter(student=user)


def bookings_newest_first(user: User, *, status: BookingStatus | None = None) -> QuerySet[Booking]:
    """The bookings `user` may see, the latest lesson first, only those in `status` if given."""
    bookings = bookings_visible_to(user).order_by("-starts_at", "-pk")
    return bookings if status is None else bookings.filter(status=status)


def booking_for(user: User, pk: int) -> Booking:
    return get_object_or_404(bookings_visible_to(user), pk=pk)


# The dashboards show a page of each list: a student or teacher with years of lessons gets the
# same page, as fast, as one with five.
LESSONS_PER_PAGE = 10


@dataclass
class StudentLessons:
    reserved: Page
    upcoming: Page
    awaiting: Page
    past: Page
    cancelled: Page


def _student_sections(now: dt.datetime) -> dict[str, tuple[Q, tuple[str, ...]]]:
    """Each dashboard list: which lessons, in which order (history reads latest first)."""
    happened = Q(status=BookingStatus.COMPLETED) | Q(
        status=BookingStatus.CONFIRMED, ends_at__lte=now
    )
    return {
        "reserved": (
            Q(status=BookingStatus.HELD, hold_expires_at__gt=now),
            ("starts_at", "pk"),
        ),
        "upcoming": (Q(status=BookingStatus.CONFIRMED, ends_at__gt=now), ("starts_at", "pk")),
        "awaiting": (Q(status=BookingStatus.REQUESTED), ("starts_at", "pk")),
        "past": (happened, ("-starts_at", "-pk")),
        "cancelled": (
            Q(
                status__in=[
                    BookingStatus.CANCELLED,
                    BookingStatus.DECLINED,
                    BookingStatus.EXPIRED,
                ]
            ),
            ("-starts_at", "-pk"),
        ),
    }


def student_lessons(
    student: User,
    *,
    now: dt.datetime,
    pages: Mapping[str, str | None] | None = None,
    per_page: int = LESSONS_PER_PAGE,
) -> StudentLessons:
    """A page of each of the dashboard's lists (`pages`: the page number asked for each, by
    list name): one query counts them all, then one per list that has lessons."""
    mine = bookings_visible_to(student).filter(student=student)
    return StudentLessons(**_pages(mine, _student_sections(now), pages or {}, per_page))


def student_lessons_change_at(
    student: User, *, now: dt.datetime, review_edit_window: dt.timedelta
) -> dt.datetime | None:
    """The first moment the student's dashboard, computed at `now`, changes by time alone: a
    hold lapses, a lesson starts (no more cancelling) or ends (it moves to the past), crosses
    the 24-hour line (no refund, no moving), or a review's edit window closes. One query over
    the lessons that can still change. A moment equal to `now` counts: the states flip just
    after it."""
    live = Q(status__in=[BookingStatus.CONFIRMED, BookingStatus.REQUESTED])
    reviewed_since = now - review_edit_window
    moments = Booking.objects.filter(student=student).aggregate(
        held=Min("hold_expires_at", filter=Q(status=BookingStatus.HELD, hold_expires_at__gte=now)),
        starts=Min("starts_at", filter=live & Q(starts_at__gte=now)),
        ends=Min("ends_at", filter=Q(status=BookingStatus.CONFIRMED, ends_at__gte=now)),
        line=Min(
            F("starts_at") - FREE_CANCELLATION_BEFORE,
            filter=live & Q(starts_at__gte=now + FREE_CANCELLATION_BEFORE),
        ),
        reviews=Min(
            F("review__created_at") + review_edit_window,
            filter=Q(review__created_at__gte=reviewed_since),
        ),
    )
    return min((moment for moment in moments.values() if moment is not None), default=None)


def _pages(
    bookings: QuerySet[Booking],
    sections: dict[str, tuple[Q, tuple[str, ...]]],
    pages: Mapping[str, str | None],
    per_page: int,
) -> dict[str, Page]:
    counts = bookings.aggregate(
        **{name: Count("pk", filter=wanted) for name, (wanted, _) in sections.items()}
    )
    return {
        name: page_of(
            bookings.filter(wanted).order_by(*order),
            count=counts[name],
            per_page=per_page,
            number=pages.get(name),
        )
        for name, (wanted, order) in sections.items()
    }


@dataclass
class TeacherLessons:
    requests: Page
    upcoming: Page
    past: Page


def teacher_lessons(
    teacher_user: User,
    *,
    now: dt.datetime,
    pages: Mapping[str, str | None] | None = None,
    per_page: int = LESSONS_PER_PAGE,
) -> TeacherLessons:
    """A page each of the requests to answer, the upcoming lessons and the past ones (the
    latest first): one query counts them, then one per list that has lessons."""
    mine = bookings_visible_to(teacher_user).filter(teacher__user=teacher_user)
    sections = {
        "requests": (Q(status=BookingStatus.REQUESTED), ("starts_at", "pk")),
        "upcoming": (Q(status=BookingStatus.CONFIRMED, ends_at__gt=now), ("starts_at", "pk")),
        "past": (
            Q(status=BookingStatus.COMPLETED) | Q(status=BookingStatus.CONFIRMED, ends_at__lte=now),
            ("-starts_at", "-pk"),
        ),
    }
    return TeacherLessons(**_pages(mine, sections, pages or {}, per_page))


def teacher_lessons_ahead(
    teacher_user: User, *, now: dt.datetime, until: dt.datetime
) -> list[Booking]:
    """The teacher's confirmed lessons not over yet that start before `until` (their week's
    calendar: a window, not every lesson booked ahead)."""
    return list(
        bookings_visible_to(teacher_user)
        .filter(
            teacher__user=teacher_user,
            status=BookingStatus.CONFIRMED,
            ends_at__gt=now,
            starts_at__lt=until,
        )
        .order_by("starts_at", "pk")
    )


def teacher_lessons_change_at(
    teacher_user: User, *, now: dt.datetime, answer_by: Iterable[dt.datetime]
) -> dt.datetime | None:
    """The first moment the teacher's dashboard, computed at `now`, changes by time alone: a
    confirmed lesson ends (it leaves the upcoming list, the week and the amount booked ahead),
    or the time left to answer a request shown (`answer_by`, said in whole minutes) drops by
    a minute. One query. Midnight in the teacher's zone (the week, the month) is the caller's.
    A moment equal to `now` counts: the states flip just after it."""
    ends = Booking.objects.filter(
        teacher__user=teacher_user, status=BookingStatus.CONFIRMED, ends_at__gte=now
    ).aggregate(at=Min("ends_at"))["at"]
    moments = [ends] if ends else []
    for deadline in answer_by:
        # `timeuntil` counts whole minutes left: m now, m - 1 just after deadline - m minutes.
        minutes_left = int((deadline - now).total_seconds() // 60)
        if minutes_left > 0:
            moments.append(deadline - dt.timedelta(minutes=minutes_left))
    return min(moments, default=None)


def answer_deadline(booking: Booking) -> dt.datetime:
    """A request must be answered within 48 h, and in any case before the lesson starts."""
    return min(booking.requested_at + ANSWER_WITHIN, booking.starts_at)


@dataclass(frozen=True)
class DayLessons:
    day: dt.date
    lessons: list[Booking]


def week_of_lessons(
    lessons: list[Booking], *, zone: zoneinfo.ZoneInfo, first_day: dt.date
) -> list[DayLessons]:
    """Seven days of lessons by the viewer's local date, for the schedule calendar."""
    days = [first_day + dt.timedelta(days=n) for n in range(7)]
    by_day: dict[dt.date, list[Booking]] = {day: [] for day in days}
    for booking in lessons:
        local_day = booking.starts_at.astimezone(zone).date()
        if local_day in by_day:
            by_day[local_day].append(booking)
    return [DayLessons(day=day, lessons=by_day[day]) for day in days]


@dataclass(frozen=True)
class Earnings:
    month_lessons: int
    month_amount: Decimal
    total_lessons: int
    total_amount: Decimal
    upcoming_lessons: int
    upcoming_amount: Decimal


def teacher_earnings(teacher_user: User, *, now: dt.datetime, zone: zoneinfo.ZoneInfo) -> Earnings:
    """Lessons taught (this month in the teacher's zone, and in all) and confirmed ahead, at the
    teacher's own prices. One query."""
    local_now = now.astimezone(zone)
    month_start = local_now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    taught = Q(status=BookingStatus.COMPLETED)
    this_month = taught & Q(starts_at__gte=month_start)
    ahead = Q(status=BookingStatus.CONFIRMED, ends_at__gt=now)
    zero = Decimal("0.00")
    figures = Booking.objects.filter(teacher__user=teacher_user).aggregate(
        month_lessons=Count("pk", filter=this_month),
        month_amount=Sum("price", filter=this_month, default=zero),
        total_lessons=Count("pk", filter=taught),
        total_amount=Sum("price", filter=taught, default=zero),
        upcoming_lessons=Count("pk", filter=ahead),
        upcoming_amount=Sum("price", filter=ahead, default=zero),
    )
    return Earnings(**figures)


def calendar_feed_for(user: User) -> CalendarFeed | None:
    """The user's calendar feed, or None until they ask for one (creating it is a POST)."""
    return CalendarFeed.objects.filter(user=user).first()


# --- the staff overview -------------------------------------------------------------------------

# A booking counts from the moment it was paid for (`requested_at`, set for instant bookings
# too); a hold still in a basket, or one that lapsed there, was never a booking.
DASHBOARD_STATUSES = tuple(s for s in BookingStatus if s != BookingStatus.HELD)


@dataclass(frozen=True)
class StatusCounts:
    status: BookingStatus
    counts: tuple[int, ...]  # one per period asked for, in order


@dataclass(frozen=True)
class BookingCounts:
    rows: list[StatusCounts]
    totals: tuple[int, ...]


def booking_counts_by_status(*, periods: list[Period]) -> BookingCounts:
    """Bookings made in each period, by the status they have now. One query."""

    def made_in(period: Period) -> Q:
        return Q(requested_at__gte=period.start, requested_at__lt=period.end)

    earliest = min(period.start for period in periods)
    figures = Booking.objects.filter(requested_at__gte=earliest).aggregate(
        **{
            f"{status}_{n}": Count("pk", filter=made_in(period) & Q(status=status))
            for n, period in enumerate(periods)
            for status in DASHBOARD_STATUSES
        }
    )
    rows = [
        StatusCounts(
            status=status,
            counts=tuple(figures[f"{status}_{n}"] for n in range(len(periods))),
        )
        for status in DASHBOARD_STATUSES
    ]
    totals = tuple(sum(row.counts[n] for row in rows) for n in range(len(periods)))
    return BookingCounts(rows=rows, totals=totals)


@dataclass(frozen=True)
class RequestsWaiting:
    count: int
    oldest: dt.datetime | None  # when the longest-waiting request was made


def requests_waiting() -> RequestsWaiting:
    """Lessons paid for that no teacher has answered yet. One query."""
    figures = Booking.objects.filter(status=BookingStatus.REQUESTED).aggregate(
        count=Count("pk"), oldest=Min("requested_at")
    )
    return RequestsWaiting(**figures)


def bookings_per_day(*, period: Period, zone: zoneinfo.ZoneInfo) -> dict[dt.date, int]:
    """Bookings made on each local day of `period` (every day present, zero or not). One query."""
    rows = (
        Booking.objects.filter(requested_at__gte=period.start, requested_at__lt=period.end)
        .annotate(day=TruncDate("requested_at", tzinfo=zone))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counted = {row["day"]: row["count"] for row in rows}
    return {day: counted.get(day, 0) for day in period.day_list()}
