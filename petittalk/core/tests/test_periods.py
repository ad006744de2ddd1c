"""Weeks and months in the viewer's zone, whatever daylight saving does to them."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from petittalk.core.periods import last_weeks, this_month, this_week

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = dt.UTC


def test_a_week_that_springs_forward_is_167_hours_and_starts_at_local_midnight():
    # Sunday 29 March 2026: Paris goes from 02:00 CET to 03:00 CEST.
    week = this_week(dt.datetime(2026, 3, 27, 12, 0, tzinfo=UTC), PARIS)
    assert week.start == dt.datetime(2026, 3, 22, 23, 0, tzinfo=UTC)  # Monday 00:00 CET
    assert week.end == dt.datetime(2026, 3, 29, 22, 0, tzinfo=UTC)  # next Monday 00:00 CEST
    assert week.end - week.start == dt.timedelta(hours=167)
    assert week.day_list()[0] == dt.date(2026, 3, 23) and len(week.day_list()) == 7


def test_late_sunday_evening_utc_is_already_next_week_in_paris():
    week = this_week(dt.datetime(2026, 3, 29, 22, 30, tzinfo=UTC), PARIS)
    assert week.first_day == dt.date(2026, 3, 30)


def test_a_month_that_falls_back_is_one_hour_longer():
    month = this_month(dt.datetime(2026, 10, 15, tzinfo=UTC), PARIS)
    assert month.start == dt.datetime(2026, 9, 30, 22, 0, tzinfo=UTC)
    assert month.end == dt.datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    assert month.days == 31


def test_december_ends_on_the_first_of_january():
    month = this_month(dt.datetime(2026, 12, 31, 12, 0, tzinfo=UTC), PARIS)
    assert month.end == dt.datetime(2026, 12, 31, 23, 0, tzinfo=UTC)


def test_twelve_weeks_end_with_this_one():
    weeks = last_weeks(dt.datetime(2026, 3, 18, 12, 0, tzinfo=UTC), PARIS, 12)
    assert weeks.first_day == dt.date(2025, 12, 29)
    assert weeks.days == 84
    assert weeks.end == dt.datetime(2026, 3, 22, 23, 0, tzinfo=UTC)
