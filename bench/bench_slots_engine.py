"""Benchmark the slot engine (petittalk.scheduling.slots.free_slots) on a busy teacher.

A Paris teacher available Monday to Saturday 08:00-12:00 and 14:00-20:00, with 10,000 one-hour
bookings spread over a year either side of now, asks for 8 weeks of 30-minute slots. Two cases:

* `in_window`: only the bookings that can touch the window, as the database query passes them;
* `all_busy`: all 10,000, to show the engine stays cheap when a caller does not filter.

Run it with `python bench/bench_slots_engine.py`; `main()` returns the figures for other tools.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

# Run as a plain script, the repository root is not on sys.path; add it so `petittalk` imports.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from petittalk.scheduling.slots import Interval, WeeklyRule, free_slots  # noqa: E402

RUNS = 200
BOOKINGS = 10_000
ZONE = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 2, 7, 13, tzinfo=UTC)  # a Monday morning; the window crosses the DST change
WINDOW = timedelta(weeks=8)
LESSON = timedelta(minutes=30)
STEP = timedelta(minutes=30)
BUFFER = timedelta(minutes=10)
NOTICE = timedelta(hours=12)
HORIZON = timedelta(days=90)


def teacher_rules() -> list[WeeklyRule]:
    return [
        WeeklyRule(weekday=day, start_minute=start, end_minute=end)
        for day in range(6)  # Monday to Saturday
        for start, end in ((8 * 60, 12 * 60), (14 * 60, 20 * 60))
    ]


def bookings(count: int, seed: int = 20260302) -> list[Interval]:
    """One-hour lessons on the half-hour grid, anywhere in the year before or after NOW."""
    rng = random.Random(seed)
    half_hours = 2 * 24 * 365
    found = []
    for _ in range(count):
        start = NOW.replace(minute=0) + timedelta(
            minutes=30 * rng.randrange(-half_hours, half_hours)
        )
        found.append(Interval(start, start + timedelta(hours=1)))
    return found


def _time(busy: list[Interval], window_start: datetime, window_end: datetime) -> tuple[dict, int]:
    rules = teacher_rules()
    timings = []
    slots: list[datetime] = []
    for _ in range(RUNS):
        began = time.perf_counter()
        slots = free_slots(
            rules=rules,
            time_off=[],
            busy=busy,
            zone=ZONE,
            window_start=window_start,
            window_end=window_end,
            duration=LESSON,
            step=STEP,
            notice=NOTICE,
            horizon=HORIZON,
            buffer=BUFFER,
            now=NOW,
        )
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    figures = {
        "p50_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 3),
        "max_ms": round(timings[-1], 3),
        "busy_passed": len(busy),
        "slots": len(slots),
    }
    return figures, len(slots)


def main() -> dict:
    """Time both cases RUNS times each, print a short table and return the figures."""
    window_start, window_end = NOW, NOW + WINDOW
    every_booking = bookings(BOOKINGS)
    # What the database query hands over: bookings that can reach a lesson in the window.
    reach_start = window_start - BUFFER - LESSON
    reach_end = window_end + LESSON + BUFFER
    in_window = [b for b in every_booking if b.start < reach_end and b.end > reach_start]

    results = {}
    slot_counts = set()
    for name, busy in (("in_window", in_window), ("all_busy", every_booking)):
        results[name], count = _time(busy, window_start, window_end)
        slot_counts.add(count)
    # Both cases must agree, or the pre-filter inside the engine changed the answer.
    assert len(slot_counts) == 1, slot_counts

    print(f"free_slots: 8 weeks of 30-min slots, Europe/Paris, {RUNS} runs per case")
    for name, figures in results.items():
        print(
            f"  {name:<10} busy={figures['busy_passed']:>6}  slots={figures['slots']:>4}  "
            f"p50={figures['p50_ms']:.2f} ms  p95={figures['p95_ms']:.2f} ms  "
            f"max={figures['max_ms']:.2f} ms"
        )
    return results


if __name__ == "__main__":
    main()
