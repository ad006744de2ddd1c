"""The one time formatter: a local time that happens twice says which one it is."""

from __future__ import annotations

import datetime as dt

from petittalk.core import timefmt

SYDNEY = "Australia/Sydney"
# Sunday 4 April 2027 in Sydney: clocks go back from 03:00 AEDT to 02:00 AEST, so every
# time from 02:00 to 02:59 happens twice, one hour apart.
FIRST_TWO_AM = dt.datetime(2027, 4, 3, 15, 0, tzinfo=dt.UTC)  # 02:00 AEDT (UTC+11)
SECOND_TWO_AM = dt.datetime(2027, 4, 3, 16, 0, tzinfo=dt.UTC)  # 02:00 AEST (UTC+10)


def test_the_two_two_oclocks_of_the_sydney_dst_end_read_differently():
    first = timefmt.format_time(FIRST_TWO_AM, SYDNEY)
    second = timefmt.format_time(SECOND_TWO_AM, SYDNEY)

    assert first == "02:00 AEDT"
    assert second == "02:00 AEST"


def test_a_time_that_happens_once_stays_short():
    assert timefmt.format_time(FIRST_TWO_AM - dt.timedelta(hours=1), SYDNEY) == "01:00"
    assert timefmt.format_time(SECOND_TWO_AM + dt.timedelta(hours=1), SYDNEY) == "03:00"


def test_a_night_of_slots_formatted_at_once_reads_like_each_formatted_alone():
    night = [FIRST_TWO_AM + dt.timedelta(minutes=30 * n) for n in range(-2, 5)]

    assert timefmt.format_times(night, SYDNEY) == [
        "01:00",
        "01:30",
        "02:00 AEDT",
        "02:30 AEDT",
        "02:00 AEST",
        "02:30 AEST",
        "03:00",
    ]
    assert timefmt.format_times(night, "Not/AZone") == [
        timefmt.format_time(moment, "UTC") for moment in night
    ]


def test_a_date_and_time_without_the_zone_name_still_tells_the_repeated_hour_apart():
    first = timefmt.format_datetime(FIRST_TWO_AM, SYDNEY, with_zone=False)
    second = timefmt.format_datetime(SECOND_TWO_AM, SYDNEY, with_zone=False)

    assert first == "Sun 4 Apr 2027, 02:00 AEDT"
    assert second == "Sun 4 Apr 2027, 02:00 AEST"


def test_a_full_date_and_time_names_the_zone_and_its_abbreviation():
    assert (
        timefmt.format_datetime(SECOND_TWO_AM, SYDNEY) == "Sun 4 Apr 2027, 02:00 Sydney time (AEST)"
    )


def test_zones_are_named_by_their_city_and_the_abbreviation_in_force_then():
    winter = dt.datetime(2026, 1, 15, 15, 0, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 15, 15, 0, tzinfo=dt.UTC)
    assert timefmt.zone_label("America/New_York", winter) == "New York time (EST)"
    assert timefmt.zone_label("America/New_York", summer) == "New York time (EDT)"
    assert timefmt.zone_label("America/Argentina/Buenos_Aires", winter) == "Buenos Aires time (-03)"
    assert timefmt.zone_label("UTC", winter) == "UTC"
    assert timefmt.format_datetime(winter, "America/New_York") == (
        "Thu 15 Jan 2026, 10:00 New York time (EST)"
    )
