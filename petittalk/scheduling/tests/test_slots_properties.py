"""Properties of the slot engine, checked against an independent, deliberately naive model.

Hypothesis draws a teacher (zone, weekly rules), a calendar (busy intervals, time off, in any
zone), the settings (step, duration, buffer, notice, horizon) and a `now` a few days either side of
a 2026/2027 daylight-saving change, then checks what free_slots returns.

The model (`Model`) never uses `fold` or the engine's helpers: it finds "the first instant the
teacher's clock reads (or passes) a wall time" by scanning real time on a quarter-hour grid and
reading the clock, which is the engine's documented DST policy said the slow way. That is exact
here because every zone drawn has whole-hour or half-hour offsets and changes on the hour, and
every rule and lesson is on the quarter-hour grid, so all the instants that matter are too.
"""

from __future__ import annotations

import dataclasses
import functools
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from petittalk.scheduling.slots import Interval, WeeklyRule, free_slots

ZONES = [
    ZoneInfo(name)
    for name in (
        "Europe/Paris",
        "Europe/London",
        "America/New_York",
        "Australia/Sydney",
        "Asia/Kolkata",
        "UTC",
    )
]
# The days each zone changes its clocks (zones without DST get all of them, for variety).
EUROPE = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]
CHANGE_DAYS = {
    "Europe/Paris": EUROPE,
    "Europe/London": EUROPE,
    "America/New_York": [date(2026, 3, 8), date(2026, 11, 1), date(2027, 3, 14), date(2027, 11, 7)],
    "Australia/Sydney": [date(2026, 4, 5), date(2026, 10, 4), date(2027, 4, 4), date(2027, 10, 3)],
}
ALL_CHANGE_DAYS = sorted({day for days in CHANGE_DAYS.values() for day in days})
QUARTER = timedelta(minutes=15)
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None)


# -- The independent model -------------------------------------------------------------------


def _offsets_in_use(zone: ZoneInfo) -> tuple[timedelta, timedelta]:
    """The smallest and largest UTC offsets the zone uses around the dates drawn."""
    noon = datetime(2025, 6, 1, 12, tzinfo=UTC)
    seen = {(noon + timedelta(days=n)).astimezone(zone).utcoffset() for n in range(0, 1100, 5)}
    return min(seen), max(seen)


OFFSETS = {zone.key: _offsets_in_use(zone) for zone in ZONES}


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    """What the teacher's clock reads at a (naive UTC) instant, as a naive datetime."""
    return instant.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


@functools.cache
def first_reading_at_or_after(zone: ZoneInfo, wall: datetime) -> datetime:
    """The first (naive UTC) quarter-hour instant at which the clock shows `wall` or later."""
    low, high = OFFSETS[zone.key]
    # An hour either side of what the offsets allow: the clock shows less than `wall` at the
    # start of the scan and more at its end, so the answer is inside.
    instant = wall - high - timedelta(hours=1)
    assert _wall(instant, zone) < wall
    while _wall(instant, zone) < wall:
        instant += QUARTER
    assert instant <= wall - low + timedelta(hours=1)
    return instant


def utc(moment: datetime) -> datetime:
    """To UTC before any arithmetic: `aware + timedelta` in a local zone works on the wall clock
    and drops `fold`, an hour out inside a repeated hour (which the drawn inputs do hit)."""
    return moment.astimezone(UTC)


def _at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time()) + timedelta(minutes=minute)


class Model:
    """Availability, blocking and slot starts, computed the slow way from the same inputs."""

    def __init__(self, case: dict) -> None:
        self.case = case
        self.zone: ZoneInfo = case["zone"]
        self.rules: list[WeeklyRule] = case["rules"]

    def occurrence(self, day: date, rule: WeeklyRule) -> tuple[datetime, datetime]:
        """A rule on one local date, as naive UTC [start, end) instants."""
        return (
            first_reading_at_or_after(self.zone, _at(day, rule.start_minute)),
            first_reading_at_or_after(self.zone, _at(day, rule.end_minute)),
        )

    def available_at(self, instant: datetime) -> bool:
        """Whether some rule occurrence covers the (naive UTC) instant."""
        local_day = _wall(instant, self.zone).date()
        for day in (local_day - timedelta(days=1), local_day, local_day + timedelta(days=1)):
            for rule in self.rules:
                if rule.weekday == day.weekday():
                    start, end = self.occurrence(day, rule)
                    if start <= instant < end:
                        return True
        return False

    def available_throughout(self, start: datetime, duration: timedelta) -> bool:
        # Availability changes only on the quarter-hour grid, so the quarters starting inside the
        # lesson decide; `start` is on the grid too.
        quarters = duration // QUARTER
        return all(self.available_at(start + n * QUARTER) for n in range(quarters))

    def blocked(self, start: datetime, end: datetime) -> bool:
        """Whether the lesson [start, end) (aware) touches time off or a busy interval ± buffer."""
        buffer = self.case["buffer"]
        if any(start < t.end and t.start < end for t in self.case["time_off"]):
            return True
        return any(
            start < utc(b.end) + buffer and utc(b.start) - buffer < end for b in self.case["busy"]
        )

    def expected(self) -> set[datetime]:
        """Every start the rules' wall-clock grids produce that exists and passes every check."""
        case, zone = self.case, self.zone
        duration, step, now = case["duration"], case["step"], utc(case["now"])
        first_day = case["window_start"].astimezone(zone).date() - timedelta(days=2)
        last_day = case["window_end"].astimezone(zone).date() + timedelta(days=2)
        found = set()
        day = first_day
        while day <= last_day:
            for rule in self.rules:
                if rule.weekday != day.weekday():
                    continue
                wall = _at(day, rule.start_minute)
                while wall < _at(day, rule.end_minute):
                    instant = first_reading_at_or_after(zone, wall)
                    moment = instant.replace(tzinfo=UTC)
                    if (
                        _wall(instant, zone) == wall  # the clock does read it (not skipped)
                        and case["window_start"] <= moment < case["window_end"]
                        and now + case["notice"] <= moment <= now + case["horizon"]
                        and self.available_throughout(instant, duration)
                        and not self.blocked(moment, moment + duration)
                    ):
                        found.add(moment)
                    wall += step
            day += timedelta(days=1)
        return found


# -- Drawing cases -----------------------------------------------------------------------------


@st.composite
def weekly_rules(draw) -> WeeklyRule:
    start = draw(st.integers(0, 95))
    # Hypothesis leans to small numbers; most real rules last hours, not a quarter.
    length = draw(st.one_of(st.sampled_from([4, 8, 16, 32, 96]), st.integers(1, 96)))
    end = min(start + length, 96)
    return WeeklyRule(weekday=draw(st.integers(0, 6)), start_minute=15 * start, end_minute=15 * end)


@st.composite
def intervals(draw, around: datetime, longest_minutes: int) -> Interval:
    """An interval from a day before `around` to four days after, to the minute, expressed in
    one of the zones."""
    start = around + timedelta(minutes=draw(st.integers(-1440, 4 * 1440)))
    end = start + timedelta(minutes=draw(st.integers(1, longest_minutes)))
    zone = draw(st.sampled_from(ZONES))
    return Interval(start.astimezone(zone), end.astimezone(zone))


@st.composite
def night_rules(draw, day: date) -> WeeklyRule:
    """A rule on `day`'s weekday in the small hours, where the clocks change."""
    start = draw(st.integers(0, 16))
    end = draw(st.integers(start + 1, start + 24))
    return WeeklyRule(weekday=day.weekday(), start_minute=15 * start, end_minute=15 * end)


@st.composite
def cases(draw) -> dict:
    zone = draw(st.sampled_from(ZONES))
    change_day = draw(st.sampled_from(CHANGE_DAYS.get(zone.key, ALL_CHANGE_DAYS)))
    anchor = datetime.combine(change_day, time(), tzinfo=UTC)
    # Mostly a little before the change, so that the window (a few days from now) spans it.
    now = anchor + timedelta(minutes=draw(st.integers(-3 * 1440, 1440)))
    viewer = draw(st.sampled_from(ZONES))
    notice = draw(st.one_of(st.sampled_from([0, 60, 720, 1440]), st.integers(0, 2 * 1440)))
    horizon = notice + draw(st.one_of(st.just(14 * 1440), st.integers(-60, 14 * 1440)))
    # The window starts around the earliest bookable time, so notice cuts some windows and not
    # others, instead of hiding most of them.
    earliest = now + timedelta(minutes=notice)
    window_start = earliest + timedelta(minutes=draw(st.integers(-1440, 3 * 1440)))
    window_minutes = st.one_of(
        st.sampled_from([1, 2, 7, 8]).map(lambda days: days * 1440), st.integers(60, 8 * 1440)
    )
    window_end = window_start + timedelta(minutes=draw(window_minutes))
    rules = draw(st.lists(weekly_rules(), min_size=1, max_size=8))
    if draw(st.booleans()):
        # Most teachers repeat one pattern every day: dense availability, so busy time, buffers
        # and the clock changes have slots to act on.
        pattern = draw(weekly_rules())
        rules += [dataclasses.replace(pattern, weekday=day) for day in range(7)]
    if draw(st.booleans()):
        rules.append(draw(night_rules(change_day)))
    return {
        "rules": rules,
        "busy": draw(st.lists(intervals(window_start, 240), max_size=20)),
        "time_off": draw(st.lists(intervals(window_start, 2 * 1440), max_size=2)),
        "zone": zone,
        "window_start": window_start.astimezone(viewer),
        "window_end": window_end.astimezone(viewer),
        "duration": timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90]))),
        "step": timedelta(minutes=draw(st.sampled_from([15, 30, 60]))),
        "notice": timedelta(minutes=notice),
        "horizon": timedelta(minutes=horizon),
        "buffer": timedelta(minutes=draw(st.sampled_from([0, 5, 10, 15, 30, 60]))),
        "now": now.astimezone(draw(st.sampled_from(ZONES))),
    }


# -- Properties --------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(cases())
def test_no_slot_overlaps_a_busy_interval_widened_by_the_buffer(case):
    buffer = case["buffer"]
    for start in free_slots(**case):
        end = start + case["duration"]
        for busy in case["busy"]:
            assert end <= utc(busy.start) - buffer or start >= utc(busy.end) + buffer, (start, busy)


@PROPERTY_SETTINGS
@given(cases())
def test_every_lesson_lies_inside_the_teacher_availability(case):
    model = Model(case)
    for start in free_slots(**case):
        instant = start.astimezone(UTC).replace(tzinfo=None)
        assert model.available_throughout(instant, case["duration"]), start
        # The first and last microsecond of the lesson, as the brief states it.
        assert model.available_at(_quarter_floor(instant))
        last = instant + case["duration"] - timedelta(microseconds=1)
        assert model.available_at(_quarter_floor(last))


def _quarter_floor(instant: datetime) -> datetime:
    return instant - (instant - datetime(2000, 1, 1, tzinfo=instant.tzinfo)) % QUARTER


@PROPERTY_SETTINGS
@given(cases())
def test_every_start_respects_notice_horizon_and_window(case):
    now = utc(case["now"])
    for start in free_slots(**case):
        assert now + case["notice"] <= start <= now + case["horizon"]
        assert case["window_start"] <= start < case["window_end"]


@PROPERTY_SETTINGS
@given(cases())
def test_output_is_sorted_unique_and_utc(case):
    found = free_slots(**case)
    assert all(a < b for a, b in pairwise(found))
    for start in found:
        assert start.tzinfo is not None
        assert start.utcoffset() == timedelta(0)


@PROPERTY_SETTINGS
@given(cases())
def test_no_slot_overlaps_time_off(case):
    for start in free_slots(**case):
        end = start + case["duration"]
        for off in case["time_off"]:
            assert end <= off.start or start >= off.end, (start, off)


@PROPERTY_SETTINGS
@given(cases())
def test_slots_are_exactly_what_the_slow_model_offers(case):
    # Beyond safety: nothing the rules allow is left out, and nothing else is added.
    assert set(free_slots(**case)) == Model(case).expected()
