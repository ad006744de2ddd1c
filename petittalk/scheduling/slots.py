"""The slot engine: a teacher's free lesson start times, as a pure function.

Nothing here touches the database, settings or the clock: callers pass the teacher's weekly rules,
their time off, the busy intervals (bookings) and `now`, and get back sorted UTC instants. That
keeps the rules of the product in one place that can be tested exhaustively and benchmarked.

How a week of wall-clock rules becomes real time
-----------------------------------------------
Rules are written in the teacher's wall clock ("Mondays 09:00-12:00, Europe/Paris"). Each rule is
expanded date by date through `zoneinfo`, so 09:00 Paris stays 09:00 Paris across daylight-saving
changes while its UTC instant moves by an hour.

One *occurrence* of a rule (the rule on one local date) is the real interval that runs

    from the first instant the teacher's clock reads (or jumps past) its start time
    to   the first instant the teacher's clock reads (or jumps past) its end time.

That single sentence is the DST policy for rule boundaries:

* Spring forward (a skipped hour): a boundary inside the gap lands on the instant of the jump.
  Paris, 2026-03-29 (02:00 CET -> 03:00 CEST): 01:00-03:00 covers 01:00 CET-03:00 CEST, one real
  hour; 02:00-03:00 covers nothing; 02:30-05:00 starts at 03:00 CEST; 00:00-02:30 ends at 03:00
  CEST (= 02:00 CET), so the teacher never gets time they did not offer.
* Fall back (a repeated hour): a boundary inside the repeat means its first reading (fold=0).
  Paris, 2026-10-25 (03:00 CEST -> 02:00 CET): 01:00-03:00 covers 01:00 CEST-03:00 CET, three
  real hours; 00:00-02:30 ends at the first 02:30 (CEST); 02:30-04:00 starts at the first 02:30
  and so also covers the repeated half hour.

Occurrences that overlap or touch (including a rule ending at 24:00 and the next day's rule
starting at 00:00) are merged, so a lesson may run across them, e.g. 23:30-00:30.

Slot starts
-----------
Candidate starts are laid on the wall-clock grid of each occurrence: start, start + step, ...
(before the rule's end). A wall time that does not exist (inside a spring-forward gap) is not
offered; one that happens twice (inside a fall-back repeat) is offered once, at its first
occurrence. A candidate is kept when the whole lesson [start, start + duration) lies inside one
merged stretch of availability, overlaps no time off and no busy interval widened by the buffer
on both sides, and the start is inside the window, the notice and the horizon.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class WeeklyRule:
    """A weekly stretch of availability in the teacher's wall clock.

    `weekday` is 0 (Monday) to 6 (Sunday); minutes count from local midnight, and an end of 1440
    means the midnight that ends the day.
    """

    weekday: int
    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {self.weekday}")
        if not 0 <= self.start_minute < self.end_minute <= MINUTES_PER_DAY:
            raise ValueError(
                "need 0 <= start_minute < end_minute <= 1440, "
                f"got {self.start_minute}..{self.end_minute}"
            )


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open stretch of real time [start, end); the two ends may be in any zone."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _require_aware(start=self.start, end=self.end)
        # Compare in UTC: two datetimes in the same zone compare by wall clock, ignoring `fold`,
        # which gets the repeated hour of a fall-back night wrong.
        if self.end.astimezone(UTC) < self.start.astimezone(UTC):
            raise ValueError(f"interval ends before it starts: {self.start} .. {self.end}")


def free_slots(
    *,
    rules: Sequence[WeeklyRule],
    time_off: Sequence[Interval],
    busy: Sequence[Interval],
    zone: ZoneInfo,
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    step: timedelta,
    notice: timedelta,
    horizon: timedelta,
    buffer: timedelta,
    now: datetime,
) -> list[datetime]:
    """Return the free lesson start times, sorted, unique and in UTC.

    A start `s` is returned when window_start <= s < window_end, now + notice <= s <= now +
    horizon, the lesson [s, s + duration) lies within the teacher's availability (see the module
    docstring for how the wall-clock `rules` in `zone` become real time across DST), overlaps no
    `time_off` interval and no `busy` interval widened by `buffer` on both sides. All intervals
    are half-open, so a lesson may end exactly when a blocked interval starts.

    Raises ValueError for naive datetimes, a non-positive duration or step, or a negative buffer.

    Cost: one linear pass over `time_off` and `busy` to keep the intervals that can matter, a
    sort of those k survivors, then O(log k) per candidate start on the rules' grids; never
    quadratic in the number of busy intervals passed.
    """
    _require_aware(window_start=window_start, window_end=window_end, now=now)
    if duration <= timedelta(0) or step <= timedelta(0):
        raise ValueError("duration and step must be positive")
    if buffer < timedelta(0):
        raise ValueError("buffer must not be negative")

    # Inside, every instant is a naive UTC datetime: comparing and subtracting those is several
    # times cheaper than aware ones, and the loop below runs once per candidate start. Convert
    # before any arithmetic: `aware + timedelta` works on the wall clock and drops `fold`, so
    # `now + notice` with `now` in a repeated hour would be off by an hour.
    now_utc = now.astimezone(UTC)
    earliest = max(window_start.astimezone(UTC), now_utc + notice)
    first = earliest.replace(tzinfo=None)  # inclusive
    before = _naive_utc(window_end)  # exclusive
    last = _naive_utc(now_utc + horizon)  # inclusive
    if not rules or first >= before or first > last:
        return []
    stop = min(before, last)  # no start is after this instant

    occurrences = _occurrences(
        rules,
        zone,
        # The teacher's local dates from the first possible start to the end of the last
        # possible lesson, plus a spare day either side. The spare days are belt and braces
        # (an occurrence ends where its next date begins, so in today's zones none from another
        # date can hold a start or cover a lesson), bought for one more day of rules each.
        first_day=earliest.astimezone(zone).date() - _ONE_DAY,
        last_day=(stop + duration).replace(tzinfo=UTC).astimezone(zone).date() + _ONE_DAY,
    )
    span_starts, span_ends = _merge((start, end) for _, _, start, end in occurrences)
    blocked_starts, blocked_ends = _blocked(time_off, busy, buffer, lo=first, hi=stop + duration)

    found: set[datetime] = set()
    for day, rule, occ_start, occ_end in occurrences:
        if occ_end <= first or occ_start > stop:
            continue  # every start of this occurrence lies in [occ_start, occ_end)
        midnight = datetime.combine(day, time())
        wall = midnight + timedelta(minutes=rule.start_minute)
        wall_end = midnight + timedelta(minutes=rule.end_minute)
        while wall < wall_end:
            start = _first_reading(wall, zone)
            wall += step
            if start is None or start < first:
                continue
            # Along the grid the first readings only move forward: nothing later can qualify.
            if start >= before or start > last:
                break
            end = start + duration
            if _inside(start, end, span_starts, span_ends) and not _overlaps(
                start, end, blocked_starts, blocked_ends
            ):
                found.add(start)
    return [start.replace(tzinfo=UTC) for start in sorted(found)]


def _require_aware(**moments: datetime) -> None:
    for name, moment in moments.items():
        if moment.utcoffset() is None:
            raise ValueError(f"{name} must be an aware datetime, got {moment!r}")


def _naive_utc(moment: datetime) -> datetime:
    """An aware datetime as the naive UTC datetime the engine works with."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _occurrences(
    rules: Sequence[WeeklyRule], zone: ZoneInfo, *, first_day: date, last_day: date
) -> list[tuple[date, WeeklyRule, datetime, datetime]]:
    """Every rule on every local date in [first_day, last_day], as (date, rule, start, end) with
    start/end the (naive UTC) instants of its boundaries. Occurrences emptied by a DST gap are
    left out.
    """
    by_weekday: list[list[WeeklyRule]] = [[] for _ in range(7)]
    for rule in dict.fromkeys(rules):  # the same rule twice adds nothing
        by_weekday[rule.weekday].append(rule)
    found = []
    day = first_day
    while day <= last_day:
        midnight = datetime.combine(day, time())
        for rule in by_weekday[day.weekday()]:
            start = _boundary(midnight + timedelta(minutes=rule.start_minute), zone)
            end = _boundary(midnight + timedelta(minutes=rule.end_minute), zone)
            if end > start:
                found.append((day, rule, start, end))
        day += _ONE_DAY
    return found


def _first_reading(wall: datetime, zone: ZoneInfo) -> datetime | None:
    """The (naive UTC) instant at which the clock in `zone` first reads the naive `wall` time, or
    None if it never does because the time falls in a spring-forward gap."""
    # ZoneInfo only reads the wall fields and fold of the datetime it is handed, so asking it
    # about the naive time avoids building aware datetimes in the hot loop.
    offset = zone.utcoffset(wall)
    # The usual case: both folds agree, so this wall time happens exactly once.
    if offset == zone.utcoffset(wall.replace(fold=1)):
        return wall - offset
    # Either repeated or skipped. fold=0 is the first of two readings; for a skipped time it is an
    # instant whose clock shows something else, which the round trip detects.
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != wall:
        return None
    return instant.replace(tzinfo=None)


def _boundary(wall: datetime, zone: ZoneInfo) -> datetime:
    """The (naive UTC) instant a rule boundary at `wall` stands for: its first reading, or the
    instant the clock jumps over it when it falls in a spring-forward gap."""
    instant = _first_reading(wall, zone)
    return instant if instant is not None else _jump_over(wall, zone)


def _jump_over(wall: datetime, zone: ZoneInfo) -> datetime:
    """The (naive UTC) instant of the spring-forward jump whose gap contains the naive `wall`.

    zoneinfo keeps its transitions private, but they are bracketed: read with the offset after
    the jump (fold=1) the gap time is an instant before it, read with the offset before the jump
    (fold=0) an instant after it. Bisect on whole seconds, which is what tzdata uses.
    """
    lo = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    hi = int(wall.replace(tzinfo=zone, fold=0).timestamp())
    before_jump = datetime.fromtimestamp(lo, zone).utcoffset()
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).utcoffset() == before_jump:
            lo = mid
        else:
            hi = mid
    return datetime.fromtimestamp(hi, UTC).replace(tzinfo=None)


def _merge(
    intervals: Iterable[tuple[datetime, datetime]],
) -> tuple[list[datetime], list[datetime]]:
    """Union of half-open intervals as parallel sorted lists of starts and ends.

    Touching intervals are joined too; the result is disjoint with strictly increasing starts and
    ends, which is what the bisect lookups in `_inside` and `_overlaps` rely on.
    """
    starts: list[datetime] = []
    ends: list[datetime] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _blocked(
    time_off: Sequence[Interval],
    busy: Sequence[Interval],
    buffer: timedelta,
    *,
    lo: datetime,
    hi: datetime,
) -> tuple[list[datetime], list[datetime]]:
    """Time off plus busy intervals widened by `buffer`, merged, keeping only what can touch a
    lesson inside [lo, hi) (naive UTC). One linear pass, then a sort of the few survivors: a
    caller may pass a teacher's whole calendar without paying for sorting all of it."""
    # Filter with aware UTC bounds so the inputs are only converted when they matter. Comparing
    # datetimes of different zones goes by instant, and for UTC inputs wall time is the instant.
    lo_aware, hi_aware = lo.replace(tzinfo=UTC), hi.replace(tzinfo=UTC)
    busy_lo, busy_hi = lo_aware - buffer, hi_aware + buffer
    kept = [
        (_naive_utc(b.start) - buffer, _naive_utc(b.end) + buffer)
        for b in busy
        if b.start < busy_hi and b.end > busy_lo
    ]
    kept += [
        (_naive_utc(t.start), _naive_utc(t.end))
        for t in time_off
        if t.start < hi_aware and t.end > lo_aware
    ]
    return _merge(kept)


def _inside(start: datetime, end: datetime, starts: list[datetime], ends: list[datetime]) -> bool:
    """Whether [start, end) lies within one of the disjoint merged intervals."""
    i = bisect_right(starts, start) - 1  # the last interval beginning at or before `start`
    return i >= 0 and end <= ends[i]


def _overlaps(start: datetime, end: datetime, starts: list[datetime], ends: list[datetime]) -> bool:
    """Whether [start, end) shares any instant with one of the disjoint merged intervals."""
    # Of the intervals beginning before `end`, the last one reaches furthest (they are disjoint
    # and sorted), so it alone decides.
    i = bisect_left(starts, end) - 1
    return i >= 0 and ends[i] > start
