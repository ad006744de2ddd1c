from __future__ import annotations

import datetime as dt
import re

import pytest

from petittalk.scheduling.models import AvailabilityRule, TimeOff
from petittalk.scheduling.services import (
    DASH,
    ScheduleError,
    ScheduleNotFound,
    availability_copy_day,
    availability_rule_add,
    availability_rule_delete,
    booking_settings_update,
    time_off_add,
    time_off_delete,
)
from petittalk.teachers.models import TeacherProfile
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
H = 60
UTC = dt.UTC


@pytest.fixture
def teacher():
    return TeacherProfileFactory()  # Europe/Paris


def ranges(teacher, weekday=None) -> list[tuple[int, int, int]]:
    rules = AvailabilityRule.objects.filter(teacher=teacher)
    if weekday is not None:
        rules = rules.filter(weekday=weekday)
    return list(
        rules.order_by("weekday", "start_minute").values_list(
            "weekday", "start_minute", "end_minute"
        )
    )


# --- weekly hours --------------------------------------------------------------------------------


def test_adding_a_range_stores_it_in_wall_clock_minutes(teacher):
    rule = availability_rule_add(
        teacher=teacher, weekday=MON, start_minute=9 * H, end_minute=12 * H
    )

    assert (rule.weekday, rule.start_label, rule.end_label) == (MON, "09:00", "12:00")
    assert ranges(teacher) == [(MON, 540, 720)]


def test_a_range_may_run_to_midnight_and_touch_its_neighbour(teacher):
    availability_rule_add(teacher=teacher, weekday=FRI, start_minute=18 * H, end_minute=24 * H)
    availability_rule_add(teacher=teacher, weekday=FRI, start_minute=12 * H, end_minute=18 * H)

    assert ranges(teacher) == [(FRI, 720, 1080), (FRI, 1080, 1440)]


@pytest.mark.parametrize(
    ("start", "end"),
    [(10 * H, 11 * H), (8 * H, 10 * H), (11 * H, 13 * H), (8 * H, 13 * H), (9 * H, 12 * H)],
)
def test_an_overlapping_range_is_refused_naming_the_other_one(teacher, start, end):
    availability_rule_add(teacher=teacher, weekday=MON, start_minute=9 * H, end_minute=12 * H)

    with pytest.raises(ScheduleError, match=re.escape(f"This overlaps Monday 09:00{DASH}12:00.")):
        availability_rule_add(teacher=teacher, weekday=MON, start_minute=start, end_minute=end)

    assert ranges(teacher) == [(MON, 540, 720)]


def test_the_same_hours_on_another_day_or_for_another_teacher_are_fine(teacher):
    availability_rule_add(teacher=teacher, weekday=MON, start_minute=9 * H, end_minute=12 * H)
    availability_rule_add(teacher=teacher, weekday=TUE, start_minute=9 * H, end_minute=12 * H)
    other = TeacherProfileFactory()
    availability_rule_add(teacher=other, weekday=MON, start_minute=9 * H, end_minute=12 * H)

    assert len(ranges(teacher)) == 2 and len(ranges(other)) == 1


@pytest.mark.parametrize(
    ("weekday", "start", "end", "message"),
    [
        (MON, 12 * H, 9 * H, "end must be after the start"),
        (MON, 9 * H, 9 * H, "end must be after the start"),
        (MON, -15, 9 * H, "between 00:00 and 24:00"),
        (MON, 9 * H, 24 * H + 15, "between 00:00 and 24:00"),
        (MON, 24 * H, 24 * H, "between 00:00 and 24:00"),
        (MON, 9 * H + 7, 10 * H, "quarter hour"),
        (7, 9 * H, 10 * H, "day of the week"),
    ],
)
def test_a_bad_range_is_refused_and_nothing_is_written(teacher, weekday, start, end, message):
    with pytest.raises(ScheduleError, match=message):
        availability_rule_add(teacher=teacher, weekday=weekday, start_minute=start, end_minute=end)

    assert ranges(teacher) == []


def test_a_teacher_deletes_their_own_range(teacher):
    rule = availability_rule_add(teacher=teacher, weekday=MON, start_minute=540, end_minute=720)

    removed = availability_rule_delete(teacher=teacher, rule_id=rule.pk)

    assert str(removed) == "Monday 09:00-12:00"
    assert ranges(teacher) == []


def test_another_teachers_range_cannot_be_deleted(teacher):
    other = TeacherProfileFactory()
    theirs = availability_rule_add(teacher=other, weekday=MON, start_minute=540, end_minute=720)

    with pytest.raises(ScheduleNotFound):
        availability_rule_delete(teacher=teacher, rule_id=theirs.pk)

    assert AvailabilityRule.objects.filter(pk=theirs.pk).exists()


def test_copying_monday_to_weekdays_replaces_their_hours(teacher):
    availability_rule_add(teacher=teacher, weekday=MON, start_minute=9 * H, end_minute=12 * H)
    availability_rule_add(teacher=teacher, weekday=MON, start_minute=14 * H, end_minute=18 * H)
    availability_rule_add(teacher=teacher, weekday=WED, start_minute=20 * H, end_minute=22 * H)
    availability_rule_add(teacher=teacher, weekday=SAT, start_minute=10 * H, end_minute=11 * H)

    availability_copy_day(teacher=teacher, from_weekday=MON, to_weekdays=[MON, TUE, WED, THU, FRI])

    for day in (MON, TUE, WED, THU, FRI):
        assert ranges(teacher, day) == [(day, 540, 720), (day, 840, 1080)]
    assert ranges(teacher, SAT) == [(SAT, 600, 660)]  # not a target: untouched


def test_copying_an_empty_day_is_refused_rather_than_clearing_the_others(teacher):
    availability_rule_add(teacher=teacher, weekday=TUE, start_minute=9 * H, end_minute=12 * H)

    with pytest.raises(ScheduleError, match="Sunday has no hours to copy"):
        availability_copy_day(teacher=teacher, from_weekday=SUN, to_weekdays=[TUE])

    assert ranges(teacher) == [(TUE, 540, 720)]


def test_copying_a_day_onto_itself_only_is_refused(teacher):
    availability_rule_add(teacher=teacher, weekday=MON, start_minute=9 * H, end_minute=12 * H)

    with pytest.raises(ScheduleError, match="at least one other day"):
        availability_copy_day(teacher=teacher, from_weekday=MON, to_weekdays=[MON])


# --- time off ------------------------------------------------------------------------------------

BEFORE_AUTUMN_DST = dt.datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def test_time_off_spans_whole_local_days_across_the_autumn_clock_change(teacher):
    # Paris leaves summer time on Sunday 25 October 2026: Saturday starts at 00:00 CEST (UTC+2),
    # the day after Monday starts at 00:00 CET (UTC+1).
    time_off = time_off_add(
        teacher=teacher,
        first_day=dt.date(2026, 10, 24),
        last_day=dt.date(2026, 10, 26),
        note="  Toussaint  ",
        now=BEFORE_AUTUMN_DST,
    )

    time_off.refresh_from_db()
    assert time_off.starts_at == dt.datetime(2026, 10, 23, 22, 0, tzinfo=UTC)
    assert time_off.ends_at == dt.datetime(2026, 10, 26, 23, 0, tzinfo=UTC)
    assert time_off.ends_at - time_off.starts_at == dt.timedelta(hours=73)
    assert time_off.note == "Toussaint"


def test_one_day_off_across_the_spring_clock_change_is_23_hours(teacher):
    time_off = time_off_add(
        teacher=teacher,
        first_day=dt.date(2026, 3, 29),
        last_day=dt.date(2026, 3, 29),
        note="",
        now=dt.datetime(2026, 3, 1, tzinfo=UTC),
    )

    assert time_off.starts_at == dt.datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert time_off.ends_at == dt.datetime(2026, 3, 29, 22, 0, tzinfo=UTC)


def test_time_off_follows_the_teachers_own_zone(teacher):
    teacher.user.timezone = "America/New_York"
    teacher.user.save(update_fields=["timezone"])

    time_off = time_off_add(
        teacher=teacher,
        first_day=dt.date(2026, 7, 14),
        last_day=dt.date(2026, 7, 14),
        note="",
        now=dt.datetime(2026, 7, 1, tzinfo=UTC),
    )

    assert time_off.starts_at == dt.datetime(2026, 7, 14, 4, 0, tzinfo=UTC)
    assert time_off.ends_at == dt.datetime(2026, 7, 15, 4, 0, tzinfo=UTC)


def test_past_days_are_judged_in_the_teachers_zone(teacher):
    # 23:30 UTC on 1 July is already 01:30 on 2 July in Paris: 1 July is over there.
    late_evening_utc = dt.datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    july = {"teacher": teacher, "note": "", "now": late_evening_utc}

    with pytest.raises(ScheduleError, match="already over"):
        time_off_add(first_day=dt.date(2026, 7, 1), last_day=dt.date(2026, 7, 1), **july)
    time_off_add(first_day=dt.date(2026, 7, 2), last_day=dt.date(2026, 7, 2), **july)

    assert TimeOff.objects.count() == 1


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (dt.date(2026, 10, 26), dt.date(2026, 10, 24), "on or after the first day"),
        (dt.date(2026, 10, 24), dt.date(2027, 10, 24), "at most 365 days"),
        (dt.date(2026, 9, 1), dt.date(2026, 9, 30), "already over"),
    ],
)
def test_bad_time_off_is_refused_and_nothing_is_written(teacher, first, last, message):
    with pytest.raises(ScheduleError, match=message):
        time_off_add(
            teacher=teacher, first_day=first, last_day=last, note="", now=BEFORE_AUTUMN_DST
        )

    assert not TimeOff.objects.exists()


def test_a_full_year_of_time_off_is_allowed(teacher):
    time_off_add(
        teacher=teacher,
        first_day=dt.date(2026, 10, 24),
        last_day=dt.date(2027, 10, 23),
        note="Sabbatical",
        now=BEFORE_AUTUMN_DST,
    )

    assert TimeOff.objects.count() == 1


def test_only_the_teachers_own_time_off_can_be_deleted(teacher):
    other = TeacherProfileFactory()
    mine, theirs = (
        time_off_add(
            teacher=who,
            first_day=dt.date(2026, 10, 24),
            last_day=dt.date(2026, 10, 24),
            note="",
            now=BEFORE_AUTUMN_DST,
        )
        for who in (teacher, other)
    )

    with pytest.raises(ScheduleNotFound):
        time_off_delete(teacher=teacher, time_off_id=theirs.pk)
    time_off_delete(teacher=teacher, time_off_id=mine.pk)

    assert list(TimeOff.objects.values_list("pk", flat=True)) == [theirs.pk]


# --- booking settings ----------------------------------------------------------------------------

GOOD_SETTINGS = {
    "offers_30": False,
    "offers_60": True,
    "min_notice_hours": 24,
    "horizon_days": 90,
    "buffer_minutes": 15,
    "slot_step_minutes": 60,
    "instant_booking": True,
}


def test_booking_settings_are_saved(teacher):
    booking_settings_update(teacher=teacher, **GOOD_SETTINGS)

    teacher.refresh_from_db()
    assert teacher.durations == [60]
    assert (teacher.min_notice_hours, teacher.horizon_days) == (24, 90)
    assert (teacher.buffer_minutes, teacher.slot_step_minutes) == (15, 60)
    assert teacher.instant_booking is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"offers_30": False, "offers_60": False}, "at least one lesson length"),
        ({"min_notice_hours": -1}, "0 to 336 hours"),
        ({"min_notice_hours": 337}, "0 to 336 hours"),
        ({"horizon_days": 0}, "1 to 180 days"),
        ({"horizon_days": 181}, "1 to 180 days"),
        ({"min_notice_hours": 48, "horizon_days": 2}, "shorter than how far ahead"),
        ({"buffer_minutes": 7}, "break"),
        ({"slot_step_minutes": 20}, "15, 30 or 60"),
    ],
)
def test_bad_booking_settings_are_refused_and_nothing_is_written(teacher, overrides, message):
    before = TeacherProfile.objects.values().get(pk=teacher.pk)

    with pytest.raises(ScheduleError, match=message):
        booking_settings_update(teacher=teacher, **{**GOOD_SETTINGS, **overrides})

    assert TeacherProfile.objects.values().get(pk=teacher.pk) == before
