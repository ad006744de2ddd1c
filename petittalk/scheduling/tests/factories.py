"""Scheduling test helpers."""

from __future__ import annotations

from petittalk.scheduling.models import AvailabilityRule
from petittalk.teachers.models import TeacherProfile
from petittalk.teachers.tests.factories import TeacherProfileFactory


def teacher_open_all_week(**profile_fields) -> TeacherProfile:
    """A teacher available around the clock every day, so any slot a test picks is bookable."""
    teacher = TeacherProfileFactory(**profile_fields)
    AvailabilityRule.objects.bulk_create(
        AvailabilityRule(teacher=teacher, weekday=day, start_minute=0, end_minute=24 * 60)
        for day in range(7)
    )
    return teacher
