"""Reads for scheduling: a teacher's weekly rules and time off, and the week layout of slots.

The free slots themselves are computed in `bookings.selectors`, where the bookings are visible."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from petittalk.scheduling.models import AvailabilityRule, TimeOff
from petittalk.scheduling.slots import Interval, WeeklyRule
from petittalk.teachers.models import TeacherProfile


def weekly_rules(teacher: TeacherProfile) -> list[WeeklyRule]:
    return [
        WeeklyRule(weekday=w, start_minute=s, end_minute=e)
        for w, s, e in AvailabilityRule.objects.filter(teacher=teacher).values_list(
            "weekday", "start_minute", "end_minute"
        )
    ]


def time_off_intervals(
    teacher: TeacherProfile, *, start: dt.datetime, end: dt.datetime
) -> list[Interval]:
    """The teacher's time off overlapping [start, end), as engine intervals (one query)."""
    return [
        Interval(starts_at, ends_at)
        for starts_at, ends_at in TimeOff.objects.filter(
            teacher=teacher, starts_at__lt=end, ends_at__gt=start
        ).values_list("starts_at", "ends_at")
    ]


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
