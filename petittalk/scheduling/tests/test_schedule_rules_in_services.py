"""The schedule services hold every rule the availability forms show: a caller that skips the
forms gets the same clear refusal, naming the field it is about, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from petittalk.scheduling.models import AvailabilityRule, TimeOff
from petittalk.scheduling.services import (
    ScheduleError,
    availability_copy_day,
    availability_rule_add,
    booking_settings_update,
    time_off_add,
)
from petittalk.teachers.models import TeacherProfile
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db

MON, TUE, SUN = 0, 1, 6
H = 60
NOW = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def teacher():
    return TeacherProfileFactory()  # Europe/Paris


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (12 * H, 9 * H, "end_minute", "The end must be after the start (12:00)."),
        (9 * H, 9 * H, "end_minute", "The end must be after the start (09:00)."),
        (-15, 9 * H, "start_minute", "Times must be between 00:00 and 24:00."),
        (9 * H, 24 * H + 15, "end_minute", "Times must be between 00:00 and 24:00."),
        (9 * H + 7, 10 * H, "start_minute", "Times must be on the quarter hour"),
        (9 * H, 10 * H + 1, "end_minute", "Times must be on the quarter hour"),
    ],
)
def test_a_weekly_range_that_breaks_a_rule_names_its_field_and_is_not_written(
    teacher, start, end, field, message
):
    with pytest.raises(ScheduleError) as refused:
        availability_rule_add(teacher=teacher, weekday=MON, start_minute=start, end_minute=end)

    assert message in str(refused.value)
    assert refused.value.field == field
    assert not AvailabilityRule.objects.exists()


def test_a_range_on_no_day_of_the_week_names_the_day_and_is_not_written(teacher):
    with pytest.raises(ScheduleError) as refused:
        availability_rule_add(teacher=teacher, weekday=7, start_minute=9 * H, end_minute=10 * H)

    assert (str(refused.value), refused.value.field) == ("Choose a day of the week.", "weekday")
    assert not AvailabilityRule.objects.exists()


def test_copying_a_day_onto_itself_only_names_the_target_days(teacher):
    availability_rule_add(teacher=teacher, weekday=MON, start_minute=9 * H, end_minute=12 * H)

    with pytest.raises(ScheduleError) as refused:
        availability_copy_day(teacher=teacher, from_weekday=MON, to_weekdays=[MON])

    assert refused.value.field == "to_weekdays"
    assert "Choose at least one other day to copy to." in str(refused.value)
    assert AvailabilityRule.objects.count() == 1


@pytest.mark.parametrize(
    ("first", "last", "note", "field", "message"),
    [
        (dt.date(2026, 10, 26), dt.date(2026, 10, 24), "", "last_day", "on or after the first"),
        (dt.date(2026, 10, 24), dt.date(2027, 10, 24), "", "last_day", "at most 365 days"),
        (dt.date(1999, 12, 31), dt.date(2026, 10, 24), "", "first_day", "between 2000 and 2100"),
        (dt.date(2026, 10, 24), dt.date(2101, 1, 1), "", "last_day", "between 2000 and 2100"),
        (dt.date(2026, 10, 24), dt.date(2026, 10, 25), "n" * 121, "note", "under 120 characters"),
    ],
)
def test_time_off_that_breaks_a_rule_names_its_field_and_is_not_written(
    teacher, first, last, note, field, message
):
    with pytest.raises(ScheduleError) as refused:
        time_off_add(teacher=teacher, first_day=first, last_day=last, note=note, now=NOW)

    assert message in str(refused.value)
    assert refused.value.field == field
    assert not TimeOff.objects.exists()


SETTINGS = {
    "offers_30": True,
    "offers_60": True,
    "min_notice_hours": 12,
    "horizon_days": 60,
    "buffer_minutes": 0,
    "slot_step_minutes": 30,
    "instant_booking": False,
}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"offers_30": False, "offers_60": False},
            "offers_30",
            "Offer at least one lesson length: 30 or 60 minutes.",
        ),
        ({"min_notice_hours": -1}, "min_notice_hours", "0 to 336 hours"),
        ({"min_notice_hours": 337}, "min_notice_hours", "0 to 336 hours"),
        ({"horizon_days": 0}, "horizon_days", "1 to 180 days"),
        ({"horizon_days": 181}, "horizon_days", "1 to 180 days"),
        (
            {"min_notice_hours": 48, "horizon_days": 2},
            "min_notice_hours",
            "shorter than how far ahead students can book",
        ),
        ({"buffer_minutes": 7}, "buffer_minutes", "Choose one of the offered breaks"),
        ({"slot_step_minutes": 20}, "slot_step_minutes", "every 15, 30 or 60 minutes"),
    ],
)
def test_booking_settings_that_break_a_rule_name_their_field_and_are_not_written(
    teacher, overrides, field, message
):
    before = TeacherProfile.objects.values().get(pk=teacher.pk)

    with pytest.raises(ScheduleError) as refused:
        booking_settings_update(teacher=teacher, **(SETTINGS | overrides))

    assert message in str(refused.value)
    assert refused.value.field == field
    assert TeacherProfile.objects.values().get(pk=teacher.pk) == before
