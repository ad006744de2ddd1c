"""The week of free slots shown on a teacher's page (and when moving a lesson)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from petittalk.bookings.models import Booking, no_refund_if_cancelled
from petittalk.bookings.selectors import teacher_week_slots
from petittalk.core.timefmt import format_times
from petittalk.scheduling.selectors import local_week_bounds, week_of_slots
from petittalk.teachers.models import TeacherProfile


@dataclass(frozen=True)
class SlotLink:
    """One free time as the picker shows it, everything worked out once in Python: a week has
    up to a few hundred, and a `{% url %}` and two time filters each made the picker the most
    expensive part of the teacher's page."""

    href: str
    label: str  # the viewer's clock time
    title: str
    teacher_label: str  # the teacher's clock time, when the viewer is in another zone
    no_refund: bool


@dataclass(frozen=True)
class DayOfSlots:
    day: dt.date
    slots: list[SlotLink]


def slot_week_context(
    request: HttpRequest,
    teacher: TeacherProfile,
    *,
    slot_url: str,
    moving: Booking | None = None,
) -> dict:
    """A week of a teacher's free slots in the viewer's zone, from the `week`/`duration` query.

    Each slot links to `slot_url` with its start (and, when booking, the duration). `moving`: the
    lesson being rescheduled, whose own time counts as free and whose length is fixed.
    """
    fixed_duration = moving.duration_minutes if moving else None
    viewer_zone = zoneinfo.ZoneInfo(request.viewer_timezone)
    now = timezone.now()
    today = now.astimezone(viewer_zone).date()
    durations = teacher.durations
    duration = fixed_duration or _int_param(request, "duration", durations[-1])
    if duration not in durations and fixed_duration is None:
        duration = durations[-1]
    last_day = (now + dt.timedelta(days=teacher.horizon_days)).astimezone(viewer_zone).date()
    first_day = _date_param(request, "week", today)
    first_day = min(max(first_day, today), last_day)
    window_start, window_end = local_week_bounds(first_day, viewer_zone)
    free = teacher_week_slots(
        teacher,
        window_start=window_start,
        window_end=window_end,
        duration_minutes=duration,
        now=now,
        ignore_booking_id=moving.pk if moving else None,
    )
    slots = free.starts
    # The week shown also changes when the viewer's day does (the first day and its arrows).
    next_midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), viewer_zone)
    teacher_zone = zoneinfo.ZoneInfo(teacher.user.timezone)
    links = dict(
        zip(
            slots,
            _slot_links(
                slots,
                teacher=teacher,
                viewer_zone=viewer_zone,
                teacher_zone=teacher_zone,
                slot_url=slot_url,
                duration=duration,
                moving=moving is not None,
                now=now,
            ),
            strict=True,
        )
    )
    week_length = dt.timedelta(days=7)
    return {
        "teacher": teacher,
        "days": [
            DayOfSlots(day=day.day, slots=[links[slot] for slot in day.slots])
            for day in week_of_slots(slots, viewer_zone=viewer_zone, first_day=first_day)
        ],
        "duration": duration,
        "durations": durations if fixed_duration is None else [fixed_duration],
        "first_day": first_day,
        "previous_week": first_day - week_length if first_day > today else None,
        "next_week": first_day + week_length if first_day + week_length <= last_day else None,
        "viewer_zone": viewer_zone.key,
        "teacher_zone": teacher_zone,
        "slot_count": len(slots),
        # The legend of the slots marked: booked now, they could not be cancelled for a refund.
        "any_no_refund": any(link.no_refund for link in links.values()),
        # When this week's view next changes by time alone (core/pagecache.py).
        "changes_at": min(free.changes_at, next_midnight),
    }


def _slot_links(
    slots: list[dt.datetime],
    *,
    teacher: TeacherProfile,
    viewer_zone: zoneinfo.ZoneInfo,
    teacher_zone: zoneinfo.ZoneInfo,
    slot_url: str,
    duration: int,
    moving: bool,
    now: dt.datetime,
) -> list[SlotLink]:
    """The picker's links, one pass over the week: its times in both zones, hrefs by joining."""
    labels = format_times(slots, viewer_zone.key)
    teacher_clocks = format_times(slots, teacher_zone.key)
    in_other_zone = viewer_zone.key != teacher_zone.key
    links = []
    for slot, label, clock in zip(slots, labels, teacher_clocks, strict=True):
        start = slot.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if moving:  # the lesson's length is fixed, so the link carries only the new start
            href, title, teacher_label = (
                f"{slot_url}?start={start}",
                f"{clock} for {teacher.name}",
                "",
            )
        else:
            href = f"{slot_url}?start={start}&duration={duration}"
            title = f"{clock} for {teacher.name} ({teacher_zone.key})"
            teacher_label = (
                f"{clock} for {teacher.user.first_name_or_name}" if in_other_zone else ""
            )
        links.append(
            SlotLink(
                href=href,
                label=label,
                title=title,
                teacher_label=teacher_label,
                no_refund=no_refund_if_cancelled(slot, now=now),
            )
        )
    return links


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except (TypeError, ValueError):
        return default


def _date_param(request: HttpRequest, name: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default
