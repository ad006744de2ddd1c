"""The week of free slots shown on a teacher's page (and when moving a lesson)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.http import HttpRequest
from django.utils import timezone

from petittalk.bookings.models import no_refund_if_cancelled
from petittalk.bookings.selectors import teacher_week_slots
from petittalk.scheduling.selectors import local_week_bounds, week_of_slots
from petittalk.teachers.models import TeacherProfile


def slot_week_context(
    request: HttpRequest,
    teacher: TeacherProfile,
    *,
    ignore_booking_id: int | None = None,
    fixed_duration: int | None = None,
) -> dict:
    """A week of a teacher's free slots in the viewer's zone, from the `week`/`duration` query."""
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
        ignore_booking_id=ignore_booking_id,
    )
    slots = free.starts
    # The week shown also changes when the viewer's day does (the first day and its arrows).
    next_midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), viewer_zone)
    week_length = dt.timedelta(days=7)
    return {
        "teacher": teacher,
        "days": week_of_slots(slots, viewer_zone=viewer_zone, first_day=first_day),
        "duration": duration,
        "durations": durations if fixed_duration is None else [fixed_duration],
        "first_day": first_day,
        "previous_week": first_day - week_length if first_day > today else None,
        "next_week": first_day + week_length if first_day + week_length <= last_day else None,
        "viewer_zone": viewer_zone.key,
        "teacher_zone": zoneinfo.ZoneInfo(teacher.user.timezone),
        "slot_count": len(slots),
        # Marked in the picker: booked now, they could not be cancelled for a refund.
        "no_refund_slots": {slot for slot in slots if no_refund_if_cancelled(slot, now=now)},
        # When this week's view next changes by time alone (core/pagecache.py).
        "changes_at": min(free.changes_at, next_midnight),
    }


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
