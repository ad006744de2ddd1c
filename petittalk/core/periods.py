"""Calendar periods (a week, a month, the last weeks) in one person's time zone, as UTC bounds.

Figures "this week" mean the viewer's week: Monday 00:00 on their wall clock, whatever offset
that clock has that day. Bounds are computed from local dates and converted one by one, so a
week or a day that contains a daylight-saving change is 167, 169, 23 or 25 hours long, as it
really is. Pure: no ORM, so the selectors that count rows take these bounds as plain values.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass


def local_midnight(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC instant `day` begins in `zone`."""
    # fold=0: where midnight repeats, the day starts at its first reading; where a zone skips
    # from 00:00 to 01:00, this lands on the instant of the jump, when the local day begins.
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Period:
    """From `start` (included) to `end` (excluded), both UTC; `name` is a stable key."""

    name: str
    label: str
    start: dt.datetime
    end: dt.datetime
    first_day: dt.date
    days: int

    @property
    def last_day(self) -> dt.date:
        return self.first_day + dt.timedelta(days=self.days - 1)

    def day_list(self) -> list[dt.date]:
        return [self.first_day + dt.timedelta(days=n) for n in range(self.days)]


def _period(name: str, label: str, first: dt.date, after: dt.date, zone) -> Period:
    return Period(
        name=name,
        label=label,
        start=local_midnight(first, zone),
        end=local_midnight(after, zone),
        first_day=first,
        days=(after - first).days,
    )


def this_week(now: dt.datetime, zone: zoneinfo.ZoneInfo) -> Period:
    monday = monday_of(now.astimezone(zone).date())
    return _period("week", "This week", monday, monday + dt.timedelta(days=7), zone)


def this_month(now: dt.datetime, zone: zoneinfo.ZoneInfo) -> Period:
    first = now.astimezone(zone).date().replace(day=1)
    after = (first + dt.timedelta(days=31)).replace(day=1)
    return _period("month", "This month", first, after, zone)


def last_weeks(now: dt.datetime, zone: zoneinfo.ZoneInfo, count: int) -> Period:
    """`count` whole weeks ending with this one (Monday to Sunday)."""
    after = monday_of(now.astimezone(zone).date()) + dt.timedelta(days=7)
    first = after - dt.timedelta(weeks=count)
    return _period(f"{count}weeks", f"Last {count} weeks", first, after, zone)
