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

from petittalk.core import versions
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
    """A change to a schedule that cannot be made; the message is for the teacher.

    `field` names the form field it is about, so the form shows it there (None: the whole form).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ScheduleNotFound(ScheduleError):
    """The rule or time off is not this teacher's (or no longer exists): a 404 in a view."""


def _lock(teacher: TeacherProfile) -> TeacherProfile:
    return TeacherProfile.objects.select_for_update().get(pk=teacher.pk)


def _day_name(weekday: int) -> str:
    return Weekday(weekday).label


def _check_weekday(weekday: int, field: str = "weekday") -> None:
    if weekday not in Weekday.values:
        raise ScheduleError("Choose a day of the week.", field=field)


def range_label(weekday: int, start_minute: int, end_minute: int) -> str:
    """`Monday 09:00-12:00`, the way ranges are named in messages and button labels."""
    return f"{_day_name(weekday)} {time_range_label(start_minute, end_minute)}"


def time_range_label(start_minute: int, end_minute: int) -> str:
    return f"{minutes_label(start_minute)}{DASH}{minutes_label(end_minute)}"


def validate_availability_range(*, weekday: int, start_minute: int, end_minute: int) -> None:
    """Raise ScheduleError unless this is a range within one day, on the quarter hours.

    The rules of a weekly range that need no database; the range form asks here too.
    """
    _check_weekday(weekday)
    for field, minute, lowest, highest in (
        ("start_minute", start_minute, 0, MINUTES_PER_DAY - GRID_MINUTES),
        ("end_minute", end_minute, GRID_MINUTES, MINUTES_PER_DAY),
    ):
        if not lowest <= minute <= highest:
            raise ScheduleError("Times must be between 00:00 and 24:00.", field=field)
        if minute % GRID_MINUTES:
            raise ScheduleError(
                "Times must be on the quarter hour (:00, :15, :30 or :45).", field=field
            )
    if end_minute <= start_minute:
        raise ScheduleError(
            f"The end must be after the start ({minutes_label(start_minute)}).",
            field="end_minute",
        )


@transaction.atomic
def availability_rule_add(
    *, teacher: TeacherProfile, weekday: int, start_minute: int, end_minute: int
) -> AvailabilityRule:
    """Add a weekly range in the teacher's wall-clock time (quarter hours; 1440 = midnight).

    A range that shares any time with one already on that day is refused, naming the other one.
    Ranges that only touch (09:00-12:00 then 12:00-14:00) are fine: the slot engine joins them.
    """
    validate_availability_range(weekday=weekday, start_minute=start_minute, end_minute=end_minute)
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


def copy_targets(*, from_weekday: int, to_weekdays: list[int]) -> list[int]:
    """The days a copy changes, in order: the targets other than the source day itself.

    Raises ScheduleError if there is none (or a day is not a day); the copy form asks here too.
    """
    _check_weekday(from_weekday, field="from_weekday")
    for weekday in to_weekdays:
        _check_weekday(weekday, field="to_weekdays")
    targets = sorted(set(to_weekdays) - {from_weekday})
    if not targets:
        raise ScheduleError("Choose at least one other day to copy to.", field="to_weekdays")
    return targets


@transaction.atomic
def availability_copy_day(
    *, teacher: TeacherProfile, from_weekday: int, to_weekdays: list[int]
) -> list[AvailabilityRule]:
    """Give each target day exactly the source day's ranges, replacing what it had.

    The source day itself is left alone if it is among the targets. Copying an empty day is
    refused rather than silently clearing the other days.
    """
    targets = copy_targets(from_weekday=from_weekday, to_weekdays=to_weekdays)
    _lock(teacher)
    source = list(
        AvailabilityRule.objects.filter(teacher=teacher, weekday=from_weekday).values_list(
            "start_minute", "end_minute"
        )
    )
    if not source:
        raise ScheduleError(f"{_day_name(from_weekday)} has no hours to copy yet.")
    AvailabilityRule.objects.filter(teacher=teacher, weekday__in=targets).delete()
    rules = AvailabilityRule.objects.bulk_create(
        AvailabilityRule(teacher=teacher, weekday=weekday, start_minute=start, end_minute=end)
        for weekday in targets
        for start, end in source
    )
    # bulk_create sends no post_save: tell the caches the calendar changed (core/versions.py).
    versions.bump([versions.teacher_scope(teacher.pk)])
    return rules


def _local_midnight(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    # fold=0: where midnight repeats, the day starts at its first reading; where a zone skips
    # from 00:00 to 01:00, this lands on the instant of the jump, when the local day begins.
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)


def validate_time_off(*, first_day: dt.date, last_day: dt.date, note: str = "") -> None:
    """Raise ScheduleError unless the days are in order, within the dates people may enter and
    not too many, and the note is short. The time-off form asks here too; whether the days are
    already over depends on the teacher's zone, so `time_off_add` judges that."""
    # Before any arithmetic: the day after 9999-12-31 does not exist.
    for field, day in (("first_day", first_day), ("last_day", last_day)):
        if not within_date_range(day):
            raise ScheduleError(DATE_OUT_OF_RANGE, field=field)
    if last_day < first_day:
        raise ScheduleError("The last day must be on or after the first day.", field="last_day")
    if (last_day - first_day).days + 1 > MAX_TIME_OFF_DAYS:
        raise ScheduleError(
            f"Time off can be at most {MAX_TIME_OFF_DAYS} days at a time.", field="last_day"
        )
    if len(note.strip()) > TIME_OFF_NOTE_LENGTH:
        raise ScheduleError(f"Keep the note under {TIME_OFF_NOTE_LENGTH} characters.", field="note")


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
    validate_time_off(first_day=first_day, last_day=last_day, note=note)
    if last_day < today:
        raise ScheduleError("Those days are already over.", field="last_day")
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


def validate_booking_settings(
    *,
    offers_30: bool,
    offers_60: bool,
    min_notice_hours: int,
    horizon_days: int,
    buffer_minutes: int,
    slot_step_minutes: int,
) -> None:
    """Raise ScheduleError unless students could book these settings. The form asks here too."""
    if not (offers_30 or offers_60):
        raise ScheduleError(
            "Offer at least one lesson length: 30 or 60 minutes.", field="offers_30"
        )
    if not 0 <= min_notice_hours <= MAX_NOTICE_HOURS:
        raise ScheduleError(
            f"Minimum notice must be 0 to {MAX_NOTICE_HOURS} hours.", field="min_notice_hours"
        )
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ScheduleError(
            f"Students can book 1 to {MAX_HORIZON_DAYS} days ahead.", field="horizon_days"
        )
    if min_notice_hours >= horizon_days * 24:
        raise ScheduleError(
            "The minimum notice must be shorter than how far ahead students can book, "
            "or nobody could book you.",
            field="min_notice_hours",
        )
    if buffer_minutes not in BUFFERS:
        raise ScheduleError(
            "Choose one of the offered breaks between lessons.", field="buffer_minutes"
        )
    if slot_step_minutes not in STEPS:
        raise ScheduleError(
            "Choose how often lessons can start: every 15, 30 or 60 minutes.",
            field="slot_step_minutes",
        )


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
    validate_booking_settings(
        offers_30=offers_30,
        offers_60=offers_60,
        min_notice_hours=min_notice_hours,
        horizon_days=horizon_days,
        buffer_minutes=buffer_minutes,
        slot_step_minutes=slot_step_minutes,
    )
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
