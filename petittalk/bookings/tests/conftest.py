from __future__ import annotations

import datetime as dt

import pytest

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.scheduling.models import AvailabilityRule
from petittalk.teachers.tests.factories import TeacherProfileFactory

# A Tuesday morning, far from any DST change; every test states its own `now`.
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def now() -> dt.datetime:
    return NOW


@pytest.fixture
def teacher():
    """Claire in Paris, available every day 08:00-20:00 her time, default booking settings."""
    teacher = TeacherProfileFactory(
        user__display_name="Claire", user__timezone="Europe/Paris", slot_step_minutes=30
    )
    AvailabilityRule.objects.bulk_create(
        AvailabilityRule(teacher=teacher, weekday=d, start_minute=8 * 60, end_minute=20 * 60)
        for d in range(7)
    )
    return teacher


@pytest.fixture
def student():
    return StudentFactory(display_name="Sam", timezone="America/New_York")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """December `day`, 2026 at hour:minute UTC (Paris is UTC+1 then)."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=dt.UTC)
