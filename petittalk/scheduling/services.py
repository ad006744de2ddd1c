"""Writes to a teacher's availability: weekly hours, time off and booking settings.

Each function changes one teacher's own rows. It first locks that teacher's profile row, so two
requests from the same teacher (two tabs, a double click) run one after the other and cannot both
pass an overlap check. Messages in `ScheduleError` are shown to the teacher as they are.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils import timezone

from petittalk.core.timefmt import DATE_OUT_OF_RANGE, within_date_range
from petittalk.scheduling.models import (
    MINUTES_PER_DAY,
    AvailabilityRule,
    TimeOff,
    Weekday,
    minutes_label,
)
from petittalk.teachers.models import BUFFERS, STEPS, TeacherProfile

GRID_MINUTES = 15
DASH = "\u2013"  # the en dash between the two ends of a range
MAX_TIME_OFF_DAYS = 365
MAX_NOTICE_HOURS = 14 * 24
MAX_HORIZON_DAYS = 180
TIME_OFF_NOTE_LENGTH = 120


class ScheduleError(Exception):
    """A change to a schedule that cannot be made; the message is for the teacher."""


class ScheduleNotFound(ScheduleError):
    """The rule or time off is not this teacher's (or no longer exists): a 404 in a view."""


def _lock(teacher: TeacherProfile) -> TeacherProfile:
    return TeacherProfile.objects.select_for_update().get(pk=teacher.pk)


def _day_name(weekday: int) -> str:
    return Weekday(weekday).label


def _check_weekday(weekday: int) -> None:
    if weekday not in Weekday.values:
        raise ScheduleError("Choose a day of the week.")


def range_label(weekday: int, start_minute: int, end_minute: int) -> str:
    """`Monday 09:00-12:00`, the way ranges are named in messages and button labels."""
    return f"{_day_name(weekday)} {time_range_label(start_minute, end_minute)}"


def time_range_label(start_minute: int, end_minute: int) -> str:
    return f"{minutes_label(start_minute)}{DASH}{minutes_label(end_minute)}"


@transaction.atomic
def availability_rule_add(
    *, teacher: TeacherProfile, weekday: int, start_minute: int, end_minute: int
) -> AvailabilityRule:
    """Add a weekly range in the teacher's wall-clock time (quarter hours; 1440 = midnight).

    A range that shares any time with one already on that day is refused, naming the other one.
    Ranges that only touch (09:00-12:00 then 12:00-14:00) are fine: the slot engine joins them.
    """
    _check_weekday(weekday)
    if not (0 <= start_minute < MINUTES_PER_DAY and 0 < end_minute <= MINUTES_PER_DAY):
        raise ScheduleError("Times must be between 00:00 and 24:00.")
    if start_minute % GRID_MINUTES or end_minute % GRID_MINUTES:
        raise ScheduleError("Times must be on the quarter hour (:00, :15, :30 or :45).")
    if end_minute <= start_minute:
        raise ScheduleError("The end must be after the start.")
    _lock(teacher)
    clash = (
        AvailabilityRule.objects.filter(
            teacher=teacher,
            weekday=weekday,
            start_minute__lt=end_minute,
            end_minute__gt=start_minute,
        )
        .order_by("start_minute")
        .first()
    )
    if clash is not None:
        label = range_label(clash.weekday, clash.start_minute, clash.end_minute)
        raise ScheduleError(f"This overlaps {label}.")
    return AvailabilityRule.objects.create(
        teacher=teacher, weekday=weekday, start_minute=start_minute, end_minute=end_minute
    )


@transaction.atomic
def availability_rule_delete(*, teacher: TeacherProfile, rule_id: int) -> AvailabilityRule:
    """Remove one of the teacher's own weekly ranges (returned, for its label).

    Lessons already booked in that range are not affected.
    """
    _lock(teacher)
    rule = AvailabilityRule.objects.filter(teacher=teacher, pk=rule_id).first()
    if rule is None:
        raise ScheduleNotFound("That time range no longer exists.")
    rule.delete()
    return rule


@transaction.atomic
def availability_copy_day(
    *, teacher: TeacherProfile, from_weekday: int, to_weekdays: list[int]
) -> list[AvailabilityRule]:
    """Give each target day exactly the source day's ranges, replacing what it had.

    The source day itself is left alone if it is among the targets. Copying an empty day is
    refused rather than silently clearing the other days.
    """
    _check_weekday(from_weekday)
    for weekday in to_weekdays:
        _check_weekday(weekday)
    targets = sorted(set(to_weekdays) - {from_weekday})
    if not targets:
        raise ScheduleError("Choose at least one other day to copy to.")
    _lock(teacher)
    source = list(
        AvailabilityRule.objects.filter(teacher=teacher, weekday=from_weekday).values_list(
            "start_minute", "end_minute"
        )
    )
    if not source:
        raise ScheduleError(f"{_day_name(from_weekday)} has no hours to copy yet.")
    AvailabilityRule.objects.filter(teacher=teacher, weekday__in=targets).delete()
    return AvailabilityRule.objects.bulk_create(
        AvailabilityRule(teacher=teacher, weekday=weekday, start_minute=start, end_minute=end)
        for weekday in targets
        for start, end in source
    )


def _local_midnight(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    # fold=0: where midnight repeats, the day starts at its first reading; where a zone skips
    # from 00:00 to 01:00, this lands on the instant of the jump, when the local day begins.
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)


@transaction.atomic
def time_off_add(
    *,
    teacher: TeacherProfile,
    first_day: dt.date,
    last_day: dt.date,
    note: str = "",
    now: dt.datetime | None = None,
) -> TimeOff:
    """Block whole days, both ends included, in the teacher's own time zone.

    Stored as UTC instants from local midnight at the start of `first_day` to local midnight at
    the end of `last_day`; around a daylight-saving change that span is 23 or 25 hours a day.
    """
    zone = zoneinfo.ZoneInfo(teacher.user.timezone)
    today = (now or timezone.now()).astimezone(zone).date()
    note = note.strip()
    # Before any arithmetic: the day after 9999-12-31 does not exist.
    if not (within_date_range(first_day) and within_date_range(last_day)):
        raise ScheduleError(DATE_OUT_OF_RANGE)
    if last_day < first_day:
        raise ScheduleError("The last day must be on or after the first day.")
    if (last_day - first_day).days + 1 > MAX_TIME_OFF_DAYS:
        raise ScheduleError(f"Time off can be at most {MAX_TIME_OFF_DAYS} days at a time.")
    if last_day < today:
        raise ScheduleError("Those days are already over.")
    if len(note) > TIME_OFF_NOTE_LENGTH:
        raise ScheduleError(f"Keep the note under {TIME_OFF_NOTE_LENGTH} characters.")
    _lock(teacher)
    return TimeOff.objects.create(
        teacher=teacher,
        starts_at=_local_midnight(first_day, zone),
        ends_at=_local_midnight(last_day + dt.timedelta(days=1), zone),
        note=note,
    )


@transaction.atomic
def time_off_delete(*, teacher: TeacherProfile, time_off_id: int) -> TimeOff:
    """Remove one of the teacher's own time-off periods (returned); those hours reopen."""
    _lock(teacher)
    time_off = TimeOff.objects.filter(teacher=teacher, pk=time_off_id).first()
    if time_off is None:
        raise ScheduleNotFound("That time off no longer exists.")
    time_off.delete()
    return time_off


@transaction.atomic
def booking_settings_update(
    *,
    teacher: TeacherProfile,
    offers_30: bool,
    offers_60: bool,
    min_notice_hours: int,
    horizon_days: int,
    buffer_minutes: int,
    slot_step_minutes: int,
    instant_booking: bool,
) -> TeacherProfile:
    """Change how students may book the teacher. Lessons already booked keep their terms."""
    if not (offers_30 or offers_60):
        raise ScheduleError("Offer at least one lesson length.")
    if not 0 <= min_notice_hours <= MAX_NOTICE_HOURS:
        raise ScheduleError(f"Minimum notice must be 0 to {MAX_NOTICE_HOURS} hours.")
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ScheduleError(f"Students can book 1 to {MAX_HORIZON_DAYS} days ahead.")
    if min_notice_hours >= horizon_days * 24:
        raise ScheduleError(
            "The minimum notice must be shorter than how far ahead students can book, "
            "or nobody could book you."
        )
    if buffer_minutes not in BUFFERS:
        raise ScheduleError("Choose one of the offered breaks between lessons.")
    if slot_step_minutes not in STEPS:
        raise ScheduleError("Choose how often lessons can start: every 15, 30 or 60 minutes.")
    profile = _lock(teacher)
    profile.offers_30 = offers_30
    profile.offers_60 = offers_60
    profile.min_notice_hours = min_notice_hours
    profile.horizon_days = horizon_days
    profile.buffer_minutes = buffer_minutes
    profile.slot_step_minutes = slot_step_minutes
    profile.instant_booking = instant_booking
    profile.save(
        update_fields=[
            "offers_30",
            "offers_60",
            "min_notice_hours",
            "horizon_days",
            "buffer_minutes",
            "slot_step_minutes",
            "instant_booking",
            "updated_at",
        ]
    )
    return profile
