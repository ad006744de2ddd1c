"""Scenarios for the slot engine (petittalk.scheduling.slots.free_slots): DST, zones, limits.

Pure computations: no database. Times in the assertions are the teacher's wall clock, as "HH:MM",
with the UTC offset where it matters, because that is what the product promises.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from petittalk.scheduling.slots import Interval, WeeklyRule, free_slots

PARIS = ZoneInfo("Europe/Paris")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
TOKYO = ZoneInfo("Asia/Tokyo")

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
A_MONDAY = date(2026, 6, 15)  # summer: no transition anywhere near it


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def rule(weekday: int, start: str, end: str) -> WeeklyRule:
    return WeeklyRule(weekday=weekday, start_minute=minutes(start), end_minute=minutes(end))


def daily(start: str, end: str, weekdays: Iterable[int] = range(7)) -> list[WeeklyRule]:
    return [rule(day, start, end) for day in weekdays]


def local(day: date, hhmm: str, zone: ZoneInfo, fold: int = 0) -> datetime:
    return datetime.combine(day, time(*divmod(minutes(hhmm), 60)), tzinfo=zone).replace(fold=fold)


def days_window(zone: ZoneInfo, first: date, days: int = 1) -> dict[str, datetime]:
    """From local midnight starting `first` to local midnight `days` later, in `zone`."""
    return {
        "window_start": datetime.combine(first, time(), tzinfo=zone),
        "window_end": datetime.combine(first + timedelta(days=days), time(), tzinfo=zone),
    }


def slots(
    rules: Sequence[WeeklyRule],
    zone: ZoneInfo,
    *,
    window_start: datetime,
    window_end: datetime,
    duration: int = 60,
    step: int = 30,
    notice: timedelta = timedelta(0),
    horizon: timedelta = timedelta(days=3650),
    buffer: int = 0,
    now: datetime = LONG_AGO,
    busy: Sequence[Interval] = (),
    time_off: Sequence[Interval] = (),
) -> list[datetime]:
    return free_slots(
        rules=rules,
        time_off=time_off,
        busy=busy,
        zone=zone,
        window_start=window_start,
        window_end=window_end,
        duration=timedelta(minutes=duration),
        step=timedelta(minutes=step),
        notice=notice,
        horizon=horizon,
        buffer=timedelta(minutes=buffer),
        now=now,
    )


def walls(found: Iterable[datetime], zone: ZoneInfo) -> list[str]:
    return [f"{moment.astimezone(zone):%H:%M}" for moment in found]


def walls_with_offset(found: Iterable[datetime], zone: ZoneInfo) -> list[str]:
    return [f"{moment.astimezone(zone):%H:%M%z}" for moment in found]


# -- The transition days -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Transition:
    zone: ZoneInfo
    day: date
    kind: str  # "spring": an hour of wall time is skipped; "fall": an hour happens twice
    hour: int  # the local hour that is skipped or repeated
    before: float  # UTC offset in hours the day before
    after: float  # ... and the day after

    @property
    def id(self) -> str:
        return f"{self.zone.key.split('/')[1].lower()}-{self.day}-{self.kind}"


TRANSITIONS = [
    Transition(PARIS, date(2026, 3, 29), "spring", 2, 1, 2),
    Transition(PARIS, date(2026, 10, 25), "fall", 2, 2, 1),
    Transition(PARIS, date(2027, 3, 28), "spring", 2, 1, 2),
    Transition(PARIS, date(2027, 10, 31), "fall", 2, 2, 1),
    Transition(LONDON, date(2026, 3, 29), "spring", 1, 0, 1),
    Transition(LONDON, date(2026, 10, 25), "fall", 1, 1, 0),
    Transition(LONDON, date(2027, 3, 28), "spring", 1, 0, 1),
    Transition(LONDON, date(2027, 10, 31), "fall", 1, 1, 0),
    Transition(NEW_YORK, date(2026, 3, 8), "spring", 2, -5, -4),
    Transition(NEW_YORK, date(2026, 11, 1), "fall", 1, -4, -5),
    Transition(NEW_YORK, date(2027, 3, 14), "spring", 2, -5, -4),
    Transition(NEW_YORK, date(2027, 11, 7), "fall", 1, -4, -5),
    Transition(SYDNEY, date(2026, 4, 5), "fall", 2, 11, 10),
    Transition(SYDNEY, date(2026, 10, 4), "spring", 2, 10, 11),
    Transition(SYDNEY, date(2027, 4, 4), "fall", 2, 11, 10),
    Transition(SYDNEY, date(2027, 10, 3), "spring", 2, 10, 11),
]
transitions = pytest.mark.parametrize("tr", TRANSITIONS, ids=[t.id for t in TRANSITIONS])


def hhmm(hour: int, minute: int = 0) -> str:
    return f"{hour:02d}:{minute:02d}"


@transitions
def test_transition_table_matches_the_time_zone_database(tr: Transition):
    # Guards the table itself, so a typo there cannot make the scenarios below vacuous.
    noon_before = local(tr.day - timedelta(days=1), "12:00", tr.zone)
    noon_after = local(tr.day + timedelta(days=1), "12:00", tr.zone)
    assert noon_before.utcoffset() == timedelta(hours=tr.before)
    assert noon_after.utcoffset() == timedelta(hours=tr.after)
    skipped_or_repeated = local(tr.day, hhmm(tr.hour, 30), tr.zone)
    round_trip = skipped_or_repeated.astimezone(UTC).astimezone(tr.zone)
    if tr.kind == "spring":
        assert round_trip.replace(tzinfo=None) != skipped_or_repeated.replace(tzinfo=None)
    else:
        assert skipped_or_repeated.utcoffset() != skipped_or_repeated.replace(fold=1).utcoffset()


@pytest.mark.parametrize("start", ["09:00", "14:30"])
@transitions
def test_rule_keeps_its_wall_clock_time_across_the_transition(tr: Transition, start: str):
    end = f"{minutes(start) // 60 + 1:02d}:{start[3:]}"
    found = slots(
        daily(start, end),
        tr.zone,
        **days_window(tr.zone, tr.day - timedelta(days=1), days=3),
        duration=60,
        step=60,
    )
    assert walls(found, tr.zone) == [start, start, start]
    day_before, on_the_day, day_after = found
    assert [moment.astimezone(tr.zone).date() for moment in found] == [
        tr.day - timedelta(days=1),
        tr.day,
        tr.day + timedelta(days=1),
    ]
    assert day_before.astimezone(tr.zone).utcoffset() == timedelta(hours=tr.before)
    # Both start times are after the night's change.
    assert on_the_day.astimezone(tr.zone).utcoffset() == timedelta(hours=tr.after)
    assert day_after.astimezone(tr.zone).utcoffset() == timedelta(hours=tr.after)
    # Same wall time two days apart: the UTC instants are 48 h minus the shift apart.
    shift = timedelta(hours=tr.after - tr.before)
    assert day_after - day_before == timedelta(hours=48) - shift
    assert all(moment.tzinfo is UTC for moment in found)


@transitions
def test_schedule_spanning_the_transition_hour(tr: Transition):
    # A rule from an hour before the changing hour to an hour after it, half-hour lessons.
    h = tr.hour
    rules = [rule(tr.day.weekday(), hhmm(h - 1), hhmm(h + 2))]
    found = slots(rules, tr.zone, **days_window(tr.zone, tr.day), duration=30, step=30)
    before, after = (f"{int(o):+03d}00" for o in (tr.before, tr.after))
    if tr.kind == "spring":
        # The skipped hour's starts do not exist; the rest is two real hours of back-to-back slots.
        assert walls_with_offset(found, tr.zone) == [
            f"{hhmm(h - 1)}{before}",
            f"{hhmm(h - 1, 30)}{before}",
            f"{hhmm(h + 1)}{after}",
            f"{hhmm(h + 1, 30)}{after}",
        ]
        assert [b - a for a, b in pairwise(found)] == [timedelta(minutes=30)] * 3
    else:
        # The repeated hour's starts are offered once, at their first occurrence.
        assert walls_with_offset(found, tr.zone) == [
            f"{hhmm(h - 1)}{before}",
            f"{hhmm(h - 1, 30)}{before}",
            f"{hhmm(h)}{before}",
            f"{hhmm(h, 30)}{before}",
            f"{hhmm(h + 1)}{after}",
            f"{hhmm(h + 1, 30)}{after}",
        ]
        second_pass = local(tr.day, hhmm(h), tr.zone, fold=1).astimezone(UTC)
        assert second_pass not in found


@transitions
def test_rule_spanning_the_transition_hour_lasts_its_real_length(tr: Transition):
    # Three wall-clock hours are two real hours on a spring day and four on a fall day.
    h = tr.hour
    rules = [rule(tr.day.weekday(), hhmm(h - 1), hhmm(h + 2))]
    real_hours = 2 if tr.kind == "spring" else 4
    window = days_window(tr.zone, tr.day)
    longest = slots(rules, tr.zone, **window, duration=60 * real_hours, step=60)
    assert walls(longest, tr.zone) == [hhmm(h - 1)]
    assert slots(rules, tr.zone, **window, duration=60 * real_hours + 15, step=15) == []


# -- The boundary policy, spelled out on Paris days ------------------------------------------

SPRING_2026 = date(2026, 3, 29)  # Sunday: 02:00 CET -> 03:00 CEST
FALL_2026 = date(2026, 10, 25)  # Sunday: 03:00 CEST -> 02:00 CET
SUNDAY = 6


def paris_day(day: date, start: str, end: str, **kwargs) -> list[str]:
    found = slots([rule(SUNDAY, start, end)], PARIS, **days_window(PARIS, day), **kwargs)
    return walls_with_offset(found, PARIS)


def test_0900_paris_rule_stays_0900_paris_across_spring_forward():
    found = slots(daily("09:00", "10:00"), PARIS, **days_window(PARIS, date(2026, 3, 28), 2))
    assert walls_with_offset(found, PARIS) == ["09:00+0100", "09:00+0200"]
    assert [f"{moment:%H:%M}" for moment in found] == ["08:00", "07:00"]


def test_1430_paris_rule_stays_1430_paris_across_fall_back():
    found = slots(daily("14:30", "15:30"), PARIS, **days_window(PARIS, date(2026, 10, 24), 2))
    assert walls_with_offset(found, PARIS) == ["14:30+0200", "14:30+0100"]
    assert [f"{moment:%H:%M}" for moment in found] == ["12:30", "13:30"]


def test_spring_forward_rule_0100_0300_covers_one_real_hour():
    assert paris_day(SPRING_2026, "01:00", "03:00", duration=60) == ["01:00+0100"]
    assert paris_day(SPRING_2026, "01:00", "03:00", duration=30) == ["01:00+0100", "01:30+0100"]
    assert paris_day(SPRING_2026, "01:00", "03:00", duration=75, step=15) == []


def test_nonexistent_0230_paris_is_never_a_slot():
    found = paris_day(SPRING_2026, "00:00", "05:00", duration=30, step=30)
    assert "02:00+0100" not in found
    assert not [wall for wall in found if wall.startswith("02:")]
    assert len(found) == 8  # ten half hours on the wall clock, two of them skipped


def test_rule_inside_the_spring_forward_gap_offers_nothing():
    assert paris_day(SPRING_2026, "02:00", "03:00", duration=15, step=15) == []
    assert paris_day(SPRING_2026, "02:15", "02:45", duration=15, step=15) == []


def test_rule_starting_in_the_spring_forward_gap_starts_at_the_jump():
    # 02:30 never happens; the teacher is available from the jump (03:00 CEST) on.
    assert paris_day(SPRING_2026, "02:30", "05:00", duration=30) == [
        "03:00+0200",
        "03:30+0200",
        "04:00+0200",
        "04:30+0200",
    ]
    assert paris_day(SPRING_2026, "02:30", "05:00", duration=120, step=30) == ["03:00+0200"]


def test_rule_ending_in_the_spring_forward_gap_ends_at_the_jump():
    # 00:00-02:30 ends when the clock jumps at 02:00 CET: two real hours, not two and a half.
    assert paris_day(SPRING_2026, "00:00", "02:30", duration=60) == [
        "00:00+0100",
        "00:30+0100",
        "01:00+0100",
    ]
    assert paris_day(SPRING_2026, "00:00", "02:30", duration=120, step=60) == ["00:00+0100"]
    assert paris_day(SPRING_2026, "00:00", "02:30", duration=150, step=30) == []


def test_rules_either_side_of_the_gap_join_up():
    # 01:00-02:00 and 03:00-04:00 touch in real time that night, so a lesson may span the jump.
    rules = [rule(SUNDAY, "01:00", "02:00"), rule(SUNDAY, "03:00", "04:00")]
    found = slots(rules, PARIS, **days_window(PARIS, SPRING_2026), duration=60)
    assert walls_with_offset(found, PARIS) == [
        "01:00+0100",
        "01:30+0100",  # runs to 03:30 CEST
        "03:00+0200",
    ]


def test_fall_back_rule_0100_0300_covers_three_real_hours():
    assert paris_day(FALL_2026, "01:00", "03:00", duration=180, step=60) == ["01:00+0200"]
    assert paris_day(FALL_2026, "01:00", "03:00", duration=195, step=15) == []
    # 02:30 CEST + 60 min ends at 02:30 CET, before the rule's end at 03:00 CET.
    assert paris_day(FALL_2026, "01:00", "03:00", duration=60) == [
        "01:00+0200",
        "01:30+0200",
        "02:00+0200",
        "02:30+0200",
    ]


def test_ambiguous_0230_paris_offered_once_at_first_occurrence():
    found = paris_day(FALL_2026, "02:00", "03:00", duration=30, step=30)
    assert found == ["02:00+0200", "02:30+0200"]
    # Its real length is two hours (02:00 CEST to 03:00 CET).
    assert paris_day(FALL_2026, "02:00", "03:00", duration=120, step=60) == ["02:00+0200"]


def test_rule_ending_in_the_fall_back_repeat_ends_at_its_first_reading():
    # 00:00-02:30 ends at 02:30 CEST, the first time the clock reads 02:30.
    assert paris_day(FALL_2026, "00:00", "02:30", duration=60) == [
        "00:00+0200",
        "00:30+0200",
        "01:00+0200",
        "01:30+0200",
    ]
    assert paris_day(FALL_2026, "00:00", "02:30", duration=30)[-1] == "02:00+0200"


def test_rule_starting_in_the_fall_back_repeat_starts_at_its_first_reading():
    # 02:30-04:00 runs from 02:30 CEST to 04:00 CET: two and a half real hours.
    assert paris_day(FALL_2026, "02:30", "04:00", duration=30) == [
        "02:30+0200",
        "03:00+0100",
        "03:30+0100",
    ]
    assert paris_day(FALL_2026, "02:30", "04:00", duration=150, step=30) == ["02:30+0200"]


def test_now_inside_the_repeated_hour_counts_as_its_own_instant():
    # 02:30 CET (the second 02:30) is 01:30 UTC. Adding the notice to it on the wall clock would
    # drop the fold and land an hour early, at 02:30 CEST, offering a start already in the past.
    now = local(FALL_2026, "02:30", PARIS, fold=1)
    found = paris_day(FALL_2026, "00:00", "05:00", duration=30, now=now)
    assert found[0] == "03:00+0100"


def test_busy_time_inside_the_repeated_hour_blocks_the_right_instant():
    # Busy during the second 02:00-02:30 (CET), i.e. 01:00-01:30 UTC.
    busy = [
        Interval(local(FALL_2026, "02:00", PARIS, fold=1), local(FALL_2026, "02:30", PARIS, fold=1))
    ]
    assert paris_day(FALL_2026, "02:00", "04:00", duration=30, busy=busy) == [
        "02:00+0200",
        "02:30+0200",  # ends 01:00 UTC, as the busy time starts
        "03:00+0100",
        "03:30+0100",
    ]
    with_buffer = paris_day(FALL_2026, "02:00", "04:00", duration=30, busy=busy, buffer=15)
    assert with_buffer == ["02:00+0200", "03:00+0100", "03:30+0100"]


def test_interval_across_the_repeated_hour_in_one_zone_is_accepted():
    # 02:59 AEDT comes before the second 02:00 (AEST), though its wall clock reads later.
    start = local(date(2026, 4, 5), "02:59", SYDNEY)
    end = local(date(2026, 4, 5), "02:00", SYDNEY, fold=1)
    assert Interval(start, end).end.astimezone(UTC) - start.astimezone(UTC) == timedelta(minutes=1)


# -- Viewers in other zones, midnight ------------------------------------------------------------

MONDAY, TUESDAY = 0, 1
MIDNIGHT_RULES = [rule(MONDAY, "23:00", "24:00"), rule(TUESDAY, "00:00", "01:00")]


@pytest.mark.parametrize(
    ("la_monday", "paris_minus_la"),
    [(date(2026, 6, 15), 9), (date(2026, 3, 16), 8)],  # in March the US has changed, Europe not
    ids=["june", "march-between-the-two-changes"],
)
def test_los_angeles_viewer_sees_paris_night_on_the_previous_la_day(la_monday, paris_minus_la):
    found = slots(MIDNIGHT_RULES, PARIS, **days_window(LOS_ANGELES, la_monday), duration=60)
    # Paris Monday 23:00 to Tuesday 01:00 is Monday afternoon in Los Angeles.
    la_start = 23 - paris_minus_la
    assert [f"{moment.astimezone(LOS_ANGELES):%a %H:%M}" for moment in found] == [
        f"Mon {la_start}:00",
        f"Mon {la_start}:30",
        f"Mon {la_start + 1}:00",
    ]
    assert [f"{moment.astimezone(PARIS):%a %H:%M}" for moment in found] == [
        "Mon 23:00",
        "Mon 23:30",  # the 60-minute lesson across Paris midnight
        "Tue 00:00",
    ]
    # The Tuesday rule's slot is on Monday for the viewer.
    assert found[2].astimezone(PARIS).date() == la_monday + timedelta(days=1)
    assert found[2].astimezone(LOS_ANGELES).date() == la_monday
    # The following LA day gets nothing from these rules.
    next_day = days_window(LOS_ANGELES, la_monday + timedelta(days=1))
    assert slots(MIDNIGHT_RULES, PARIS, **next_day, duration=60) == []


def test_last_start_of_the_window_may_run_into_the_next_day_rule():
    # The window stops before midnight, but the 23:30 lesson runs on into Tuesday's rule.
    window = {
        "window_start": local(A_MONDAY, "22:00", PARIS),
        "window_end": local(A_MONDAY, "23:45", PARIS),
    }
    found = slots(MIDNIGHT_RULES, PARIS, **window, duration=60)
    assert walls(found, PARIS) == ["23:00", "23:30"]


def test_rule_ending_at_midnight_alone_does_not_run_into_the_next_day():
    found = slots([MIDNIGHT_RULES[0]], PARIS, **days_window(PARIS, A_MONDAY), duration=60)
    assert walls(found, PARIS) == ["23:00"]


def test_window_edges_in_the_viewer_zone_cut_the_teacher_day():
    # Tokyo is 7 h ahead of Paris in summer: Tokyo's Tuesday starts at 17:00 Paris Monday.
    found = slots(daily("09:00", "20:00"), PARIS, **days_window(TOKYO, A_MONDAY + timedelta(1)))
    paris = [moment.astimezone(PARIS) for moment in found]
    assert f"{paris[0]:%a %H:%M}" == "Mon 17:00"
    assert f"{paris[-1]:%a %H:%M}" == "Tue 16:30"
    assert all(A_MONDAY + timedelta(1) == moment.astimezone(TOKYO).date() for moment in found)


# -- Notice, horizon, buffer, time off, busy ---------------------------------------------------


def test_notice_hides_starts_before_now_plus_notice_and_keeps_the_one_exactly_on_it():
    now = local(A_MONDAY, "09:00", PARIS)
    found = slots(
        daily("09:00", "12:00"),
        PARIS,
        **days_window(PARIS, A_MONDAY),
        duration=30,
        now=now,
        notice=timedelta(hours=2),
    )
    assert walls(found, PARIS) == ["11:00", "11:30"]


def test_notice_counts_from_now_not_from_the_window():
    now = local(A_MONDAY, "11:10", PARIS)
    found = slots(
        daily("09:00", "12:00"),
        PARIS,
        **days_window(PARIS, A_MONDAY, 2),
        duration=30,
        now=now,
        notice=timedelta(hours=22),
    )
    # now + 22 h is Tuesday 09:10: Tuesday 09:00 is too soon, 09:30 is fine.
    assert walls(found, PARIS) == ["09:30", "10:00", "10:30", "11:00", "11:30"]


def test_horizon_keeps_the_start_exactly_on_it_and_hides_later_ones():
    now = local(A_MONDAY, "09:00", PARIS)
    found = slots(
        daily("09:00", "12:00"),
        PARIS,
        **days_window(PARIS, A_MONDAY, 3),
        duration=30,
        now=now,
        horizon=timedelta(days=1, hours=1),
    )
    local_found = [f"{moment.astimezone(PARIS):%a %H:%M}" for moment in found]
    assert local_found[0] == "Mon 09:00"  # no notice: a start at `now` is allowed
    assert local_found[-3:] == ["Tue 09:00", "Tue 09:30", "Tue 10:00"]
    assert len(found) == 6 + 3
    # A horizon falling exactly on a rule's start still offers that start.
    exactly_a_day = slots(
        daily("09:00", "12:00"),
        PARIS,
        **days_window(PARIS, A_MONDAY, 3),
        duration=30,
        now=now,
        horizon=timedelta(days=1),
    )
    assert f"{exactly_a_day[-1].astimezone(PARIS):%a %H:%M}" == "Tue 09:00"


def test_busy_time_just_outside_the_window_still_blocks_through_the_buffer():
    busy = [
        Interval(local(A_MONDAY, "08:00", PARIS), local(A_MONDAY, "08:55", PARIS)),
        Interval(local(A_MONDAY, "10:05", PARIS), local(A_MONDAY, "10:30", PARIS)),
    ]
    window = {
        "window_start": local(A_MONDAY, "09:00", PARIS),
        "window_end": local(A_MONDAY, "10:00", PARIS),
    }
    rules = daily("08:00", "13:00")
    assert walls(slots(rules, PARIS, **window, duration=30, busy=busy), PARIS) == [
        "09:00",
        "09:30",
    ]
    assert slots(rules, PARIS, **window, duration=30, busy=busy, buffer=10) == []


def test_buffer_before_a_busy_lesson():
    busy = [Interval(local(A_MONDAY, "10:00", PARIS), local(A_MONDAY, "11:00", PARIS))]
    window = days_window(PARIS, A_MONDAY)
    with_buffer = walls(
        slots(daily("08:00", "13:00"), PARIS, **window, duration=30, step=15, buffer=15, busy=busy),
        PARIS,
    )
    assert "09:15" in with_buffer  # ends 09:45, exactly where the buffer begins
    assert "09:30" not in with_buffer  # ends 10:00: no gap before the busy lesson
    without = walls(
        slots(daily("08:00", "13:00"), PARIS, **window, duration=30, step=15, busy=busy), PARIS
    )
    assert "09:30" in without  # back to back is fine with no buffer
    assert "09:45" not in without


def test_buffer_after_a_busy_lesson():
    busy = [Interval(local(A_MONDAY, "10:00", PARIS), local(A_MONDAY, "11:00", PARIS))]
    window = days_window(PARIS, A_MONDAY)
    with_buffer = walls(
        slots(daily("08:00", "13:00"), PARIS, **window, duration=30, step=15, buffer=15, busy=busy),
        PARIS,
    )
    assert "11:00" not in with_buffer
    assert "11:15" in with_buffer
    assert with_buffer == [
        "08:00",
        "08:15",
        "08:30",
        "08:45",
        "09:00",
        "09:15",
        "11:15",
        "11:30",
        "11:45",
        "12:00",
        "12:15",
        "12:30",
    ]
    without = walls(
        slots(daily("08:00", "13:00"), PARIS, **window, duration=30, step=15, busy=busy), PARIS
    )
    assert "11:00" in without
    assert "10:45" not in without


def test_busy_interval_in_another_zone_is_compared_as_an_instant():
    in_paris = Interval(local(A_MONDAY, "10:00", PARIS), local(A_MONDAY, "11:00", PARIS))
    in_tokyo = Interval(in_paris.start.astimezone(TOKYO), in_paris.end.astimezone(TOKYO))
    window = days_window(PARIS, A_MONDAY)
    assert slots(daily("08:00", "13:00"), PARIS, **window, busy=[in_tokyo]) == slots(
        daily("08:00", "13:00"), PARIS, **window, busy=[in_paris]
    )
    assert walls(slots(daily("08:00", "13:00"), PARIS, **window, busy=[in_tokyo]), PARIS) == [
        "08:00",
        "08:30",
        "09:00",
        "11:00",
        "11:30",
        "12:00",
    ]


def test_busy_interval_partly_overlapping_blocks_every_lesson_it_touches():
    busy = [Interval(local(A_MONDAY, "09:50", PARIS), local(A_MONDAY, "10:05", PARIS))]
    found = slots(daily("09:00", "12:00"), PARIS, **days_window(PARIS, A_MONDAY), busy=busy)
    assert walls(found, PARIS) == ["10:30", "11:00"]


def test_time_off_blocks_without_a_buffer():
    off = [Interval(local(A_MONDAY, "10:00", PARIS), local(A_MONDAY, "11:00", PARIS))]
    found = slots(
        daily("08:00", "13:00"),
        PARIS,
        **days_window(PARIS, A_MONDAY),
        duration=30,
        step=30,
        buffer=30,
        time_off=off,
    )
    # 09:30 ends as the time off starts and 11:00 starts as it ends: the buffer is for lessons.
    assert walls(found, PARIS) == [
        "08:00",
        "08:30",
        "09:00",
        "09:30",
        "11:00",
        "11:30",
        "12:00",
        "12:30",
    ]


def test_time_off_over_whole_days_removes_them():
    off = [
        Interval(local(A_MONDAY, "00:00", PARIS), local(A_MONDAY, "00:00", PARIS) + timedelta(2))
    ]
    found = slots(daily("09:00", "12:00"), PARIS, **days_window(PARIS, A_MONDAY, 3), time_off=off)
    assert {moment.astimezone(PARIS).date() for moment in found} == {A_MONDAY + timedelta(2)}


def test_back_to_back_busy_lessons_leave_only_the_gaps():
    day = [("09:00", "10:00"), ("10:00", "10:30"), ("11:30", "12:00")]
    busy = [Interval(local(A_MONDAY, a, PARIS), local(A_MONDAY, b, PARIS)) for a, b in day]
    found = slots(daily("09:00", "12:00"), PARIS, **days_window(PARIS, A_MONDAY), busy=busy)
    assert walls(found, PARIS) == ["10:30"]


# -- Grid, durations, edges ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "duration", "expected"),
    [
        (15, 30, ["09:00", "09:15", "09:30", "09:45", "10:00", "10:15", "10:30"]),
        (15, 60, ["09:00", "09:15", "09:30", "09:45", "10:00"]),
        (30, 30, ["09:00", "09:30", "10:00", "10:30"]),
        (30, 60, ["09:00", "09:30", "10:00"]),
        (60, 30, ["09:00", "10:00"]),
        (60, 60, ["09:00", "10:00"]),
    ],
    ids=[
        "step15-30min",
        "step15-60min",
        "step30-30min",
        "step30-60min",
        "step60-30min",
        "step60-60min",
    ],
)
def test_step_and_duration_grid(step: int, duration: int, expected: list[str]):
    found = slots(
        daily("09:00", "11:00"),
        PARIS,
        **days_window(PARIS, A_MONDAY),
        duration=duration,
        step=step,
    )
    assert walls(found, PARIS) == expected


def test_grid_counts_from_each_rule_start():
    rules = [rule(MONDAY, "09:00", "10:00"), rule(MONDAY, "10:15", "11:15")]
    found = slots(rules, PARIS, **days_window(PARIS, A_MONDAY), duration=30, step=30)
    assert walls(found, PARIS) == ["09:00", "09:30", "10:15", "10:45"]
    # Overlapping rules: each keeps its own grid, and neither grid offers its rule's end.
    rules = [rule(MONDAY, "09:00", "10:00"), rule(MONDAY, "09:45", "11:00")]
    found = slots(rules, PARIS, **days_window(PARIS, A_MONDAY), duration=30, step=30)
    assert walls(found, PARIS) == ["09:00", "09:30", "09:45", "10:15"]


def test_overlapping_rules_merge_and_give_each_start_once():
    rules = [rule(MONDAY, "09:00", "11:00"), rule(MONDAY, "10:00", "12:00")] * 2
    found = slots(rules, PARIS, **days_window(PARIS, A_MONDAY), duration=60)
    assert walls(found, PARIS) == ["09:00", "09:30", "10:00", "10:30", "11:00"]


def test_empty_rules_give_no_slots():
    assert slots([], PARIS, **days_window(PARIS, A_MONDAY, 7)) == []


def test_window_entirely_in_the_past_gives_no_slots():
    now = local(A_MONDAY + timedelta(days=10), "12:00", PARIS)
    assert slots(daily("09:00", "12:00"), PARIS, **days_window(PARIS, A_MONDAY, 7), now=now) == []


def test_window_beyond_the_horizon_gives_no_slots():
    now = local(A_MONDAY, "12:00", PARIS)
    window = days_window(PARIS, A_MONDAY + timedelta(days=40), 7)
    assert slots(daily("09:00", "12:00"), PARIS, **window, now=now, horizon=timedelta(30)) == []


def test_window_end_is_exclusive():
    window = {
        "window_start": local(A_MONDAY, "09:00", PARIS),
        "window_end": local(A_MONDAY, "10:00", PARIS),
    }
    assert walls(slots(daily("09:00", "12:00"), PARIS, **window), PARIS) == ["09:00", "09:30"]


def test_empty_or_inverted_window_gives_no_slots():
    start = local(A_MONDAY, "00:00", PARIS)
    rules = daily("00:00", "24:00")
    assert slots(rules, PARIS, window_start=start, window_end=start) == []
    assert slots(rules, PARIS, window_start=start, window_end=start - timedelta(days=1)) == []


def test_slots_are_sorted_unique_utc():
    rules = [*daily("00:00", "24:00"), *daily("08:00", "12:00")]
    found = slots(rules, SYDNEY, **days_window(SYDNEY, date(2026, 4, 3), 4), step=15)
    assert found == sorted(set(found))
    assert all(moment.tzinfo is UTC for moment in found)
    # Four local days of quarter-hour starts; the repeated 02:00-03:00 of 5 April is offered
    # once, so its second pass shows as a 75-minute hole between 02:45 AEDT and 03:00 AEST.
    assert len(found) == 4 * 96
    holes = [b - a for a, b in pairwise(found) if b - a != timedelta(minutes=15)]
    assert holes == [timedelta(minutes=75)]


def test_whole_calendar_passed_in_gives_the_same_answer_as_the_window_only():
    rng = random.Random(7)
    start = local(A_MONDAY, "00:00", PARIS).astimezone(UTC)
    everything = []
    for _ in range(10_000):  # a year either side, on the half hour
        begin = start + timedelta(minutes=30 * rng.randrange(-17_520, 17_520))
        everything.append(Interval(begin, begin + timedelta(hours=1)))
    window = days_window(PARIS, A_MONDAY, 14)
    buffer, duration = timedelta(minutes=10), timedelta(minutes=60)
    in_reach = [
        b
        for b in everything
        if b.start < window["window_end"] + duration + buffer
        and b.end > window["window_start"] - buffer
    ]
    rules = daily("08:00", "20:00")
    # Busy time only ever removes starts: filter the unhindered ones by brute force.
    unhindered = slots(rules, PARIS, **window)
    expected = [
        s
        for s in unhindered
        if not any(s < b.end + buffer and b.start - buffer < s + duration for b in in_reach)
    ]
    assert slots(rules, PARIS, **window, buffer=10, busy=in_reach) == expected
    assert slots(rules, PARIS, **window, buffer=10, busy=everything) == expected
    assert 0 < len(expected) < len(unhindered) // 2  # about 14 bookings a day: a busy calendar


# -- Input checks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekday", "start", "end"),
    [(7, 0, 60), (-1, 0, 60), (0, 60, 60), (0, 120, 60), (0, -15, 60), (0, 0, 1441)],
)
def test_invalid_rules_are_refused(weekday: int, start: int, end: int):
    with pytest.raises(ValueError):
        WeeklyRule(weekday=weekday, start_minute=start, end_minute=end)


def test_full_day_rule_is_accepted():
    assert WeeklyRule(weekday=6, start_minute=0, end_minute=1440).end_minute == 1440


def test_naive_datetimes_are_refused():
    naive = datetime(2026, 6, 15, 9, 0)  # noqa: DTZ001 (the point of the test)
    with pytest.raises(ValueError):
        Interval(naive, naive + timedelta(hours=1))
    with pytest.raises(ValueError):
        slots(daily("09:00", "12:00"), PARIS, window_start=naive, window_end=naive + timedelta(1))
    with pytest.raises(ValueError):
        slots(
            daily("09:00", "12:00"),
            PARIS,
            **days_window(PARIS, A_MONDAY),
            now=naive,
        )


def test_inverted_interval_is_refused():
    start = local(A_MONDAY, "10:00", PARIS)
    with pytest.raises(ValueError):
        Interval(start, start - timedelta(minutes=1))


@pytest.mark.parametrize(
    "overrides",
    [{"step": 0}, {"duration": 0}, {"step": -30}, {"buffer": -5}],
    ids=["zero-step", "zero-duration", "negative-step", "negative-buffer"],
)
def test_nonsense_durations_are_refused(overrides):
    with pytest.raises(ValueError):
        slots(daily("09:00", "12:00"), PARIS, **days_window(PARIS, A_MONDAY), **overrides)
