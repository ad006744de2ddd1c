"""Reads for scheduling: a teacher's free slots, computed by the pure engine from three queries."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Q

from petittalk.bookings.models import BLOCKING_STATUSES, Booking, BookingStatus
from petittalk.scheduling.models import AvailabilityRule, TimeOff
from petittalk.scheduling.slots import Interval, WeeklyRule, free_slots
from petittalk.teachers.models import TeacherProfile


def blocking_bookings_q(now: dt.datetime) -> Q:
    """Bookings that occupy time: a hold only until it lapses, the other states for good."""
    return Q(status__in=[s for s in BLOCKING_STATUSES if s != BookingStatus.HELD]) | Q(
        status=BookingStatus.HELD, hold_expires_at__gt=now
    )


def weekly_rules(teacher: TeacherProfile) -> list[WeeklyRule]:
    return [
        WeeklyRule(weekday=w, start_minute=s, end_minute=e)
        for w, s, e in AvailabilityRule.objects.filter(teacher=teacher).values_list(
            "weekday", "start_minute", "end_minute"
        )
    ]


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

    Three queries whatever the number of bookings: rules, time off, busy bookings in the window.
    `ignore_booking_id` leaves one booking out of the busy ones (when rescheduling it).
    """
    duration = dt.timedelta(minutes=duration_minutes)
    buffer = dt.timedelta(minutes=teacher.buffer_minutes)
    # A slot starting just before the window's end still runs for `duration` past it.
    reach_start, reach_end = window_start - buffer - duration, window_end + duration + buffer
    time_off = [
        Interval(start, end)
        for start, end in TimeOff.objects.filter(
            teacher=teacher, starts_at__lt=reach_end, ends_at__gt=reach_start
        ).values_list("starts_at", "ends_at")
    ]
    busy_bookings = Booking.objects.filter(
        blocking_bookings_q(now), teacher=teacher, starts_at__lt=reach_end, ends_at__gt=reach_start
    )
    if ignore_booking_id is not None:
        busy_bookings = busy_bookings.exclude(pk=ignore_booking_id)
    busy = [Interval(s, e) for s, e in busy_bookings.values_list("starts_at", "ends_at")]
    return free_slots(
        rules=weekly_rules(teacher),
        time_off=time_off,
        busy=busy,
        zone=zoneinfo.ZoneInfo(teacher.user.timezone),
        window_start=window_start,
        window_end=window_end,
        duration=duration,
        step=dt.timedelta(minutes=teacher.slot_step_minutes),
        notice=dt.timedelta(hours=teacher.min_notice_hours),
        horizon=dt.timedelta(days=teacher.horizon_days),
        buffer=buffer,
        now=now,
    )


@dataclass(frozen=True)
class DaySlots:
    day: dt.date
    slots: list[dt.datetime]


def week_of_slots(
    slots: list[dt.datetime], *, viewer_zone: zoneinfo.ZoneInfo, first_day: dt.date
) -> list[DaySlots]:
    """Seven columns of slots by the VIEWER's calendar day (a slot may land on another date
    for the viewer than for the teacher)."""
    days = [first_day + dt.timedelta(days=n) for n in range(7)]
    by_day: dict[dt.date, list[dt.datetime]] = {day: [] for day in days}
    for slot in slots:
        local_day = slot.astimezone(viewer_zone).date()
        if local_day in by_day:
            by_day[local_day].append(slot)
    return [DaySlots(day=day, slots=by_day[day]) for day in days]


def local_week_bounds(
    first_day: dt.date, viewer_zone: zoneinfo.ZoneInfo
) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants of the viewer's local midnight starting `first_day` and 7 days later."""
    start = dt.datetime.combine(first_day, dt.time(0), tzinfo=viewer_zone)
    end = dt.datetime.combine(first_day + dt.timedelta(days=7), dt.time(0), tzinfo=viewer_zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)
