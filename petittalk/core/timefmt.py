"""The one place that turns an aware datetime into text for a person, in that person's time zone.

Every time shown anywhere (pages, emails, calendar files) goes through here so that the viewer's
zone, its name and daylight-saving rules are applied the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from urllib.parse import unquote

from django.utils import timezone

# The dates anyone may enter (lessons, time off, offers). Wide enough for any real use; narrow
# enough that adding a lesson's length or converting between zones never leaves the range
# Python's datetime can hold (years 1 to 9999), which used to end in an OverflowError (a 500).
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
DATE_OUT_OF_RANGE = "Choose a date between 2000 and 2100."
TIME_OUT_OF_RANGE = "Choose a time between 2000 and 2100."


def within_date_range(value: dt.date | dt.datetime) -> bool:
    """Whether a date (or a moment, read in its own offset) lies in the range people may enter."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


# The longest IANA name is about 30 characters; anything much longer is not a zone, and is
# refused before it reaches the file system (ZoneInfo raises OSError on over-long names).
MAX_ZONE_NAME_LENGTH = 64


@functools.cache
def available_zones() -> frozenset[str]:
    """Every IANA zone a person can choose ("localtime" and "Factory" are not places)."""
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory"})


def known_zone_name(value: str | None) -> str | None:
    """The IANA name in `value` (as typed or percent-encoded by a browser), or None."""
    if not value or len(value) > 3 * MAX_ZONE_NAME_LENGTH:
        return None
    name = unquote(value)
    return name if name in available_zones() else None


def viewer_zone(tz_name: str | None) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(known_zone_name(tz_name) or "UTC")


def localize(moment: dt.datetime, tz_name: str | None) -> dt.datetime:
    return _in_zone(moment, viewer_zone(tz_name))


def _in_zone(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    if timezone.is_naive(moment):
        raise ValueError("timefmt only formats aware datetimes (stored in UTC)")
    try:
        return moment.astimezone(zone)
    except OverflowError:
        # A value stored before dates were bounded (e.g. 9999-12-31 23:30 UTC is already the
        # year 10000 in Paris): show it as it was stored rather than break the page.
        return moment


def zone_label(tz_name: str | None, at: dt.datetime | None = None) -> str:
    """`New York time (EST)`: the zone's city plus the abbreviation in force at that moment."""
    return _zone_phrase(localize(at or timezone.now(), tz_name))


def is_ambiguous(local: dt.datetime) -> bool:
    """True for a wall-clock time that happens twice (the hour repeated when clocks go back)."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _clock(local: dt.datetime) -> str:
    """`09:00`, or `02:00 AEDT` when that clock time happens twice that night, so the two
    02:00s of a DST end can be told apart."""
    text = f"{local:%H:%M}"
    return f"{text} {local.tzname()}" if is_ambiguous(local) else text


def format_datetime(moment: dt.datetime, tz_name: str | None, *, with_zone: bool = True) -> str:
    """`Tue 3 Mar 2026, 09:00 Paris time (CET)`."""
    local = localize(moment, tz_name)
    date = f"{local:%a} {local.day} {local:%b %Y}"
    if with_zone:  # the abbreviation already tells a repeated hour apart
        return f"{date}, {local:%H:%M} {_zone_phrase(local)}"
    return f"{date}, {_clock(local)}"


def _zone_phrase(local: dt.datetime) -> str:
    """How a zone reads to people: its city (the IANA key's last part, `America/New_York` ->
    `New York`) and the abbreviation in force at `local`. The raw key reads as neither a name
    people use nor the exact IANA name, so it is never shown."""
    abbreviation = local.tzname() or "UTC"
    # Only a moment localize() could not convert lacks an IANA key; its abbreviation names it.
    key = getattr(local.tzinfo, "key", None)
    if not key or "/" not in key:  # UTC, or an offset: the abbreviation says it all
        return key or abbreviation
    city = key.rsplit("/", 1)[-1].replace("_", " ")
    return f"{city} time ({abbreviation})"


def format_date(moment: dt.datetime, tz_name: str | None) -> str:
    local = localize(moment, tz_name)
    return f"{local:%a} {local.day} {local:%b %Y}"


def format_time(moment: dt.datetime, tz_name: str | None) -> str:
    """`09:00`; `02:00 AEST` when the clock time is ambiguous in that zone."""
    return _clock(localize(moment, tz_name))


def format_times(moments: list[dt.datetime], tz_name: str | None) -> list[str]:
    """`format_time` for many moments (a week of slots), the zone looked up once."""
    zone = viewer_zone(tz_name)
    return [_clock(_in_zone(moment, zone)) for moment in moments]
