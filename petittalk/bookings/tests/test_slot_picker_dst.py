"""The slot picker on the night Sydney's clocks go back: the repeated hour is told apart."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from petittalk.scheduling.models import AvailabilityRule, Weekday
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


def test_a_sydney_viewer_sees_which_of_the_two_0200s_each_slot_is(client):
    # Claire in Paris is free Saturday 16:00-20:00 (CEST), i.e. 14:00-18:00 UTC on 3 April
    # 2027: in Sydney that is Sunday 4 April 01:00 AEDT to 03:00 AEST, across the clock change.
    teacher = TeacherProfileFactory(user__display_name="Claire", user__timezone="Europe/Paris")
    AvailabilityRule.objects.create(
        teacher=teacher, weekday=Weekday.SATURDAY, start_minute=16 * 60, end_minute=20 * 60
    )
    client.cookies["pt_tz"] = "Australia%2FSydney"

    with time_machine.travel(dt.datetime(2027, 4, 1, 0, 0, tzinfo=dt.UTC), tick=False):
        page = client.get(
            f"/teachers/{teacher.slug}/slots/?week=2027-04-04&duration=30",
            HTTP_HX_REQUEST="true",
        ).text

    assert 'start=2027-04-03T15:00:00Z&amp;duration=30" title="17:00 for Claire' in page
    assert ">02:00 AEDT<" in page
    assert ">02:30 AEDT<" in page
    assert ">02:00 AEST<" in page
    assert ">02:30 AEST<" in page
    assert ">01:30<" in page and ">03:00<" in page  # times that happen once stay short
