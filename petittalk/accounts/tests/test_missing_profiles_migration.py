"""Students who never got a profile get one from the data migration, so no page has to make it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from petittalk.accounts.models import Role, StudentProfile
from petittalk.accounts.tests.factories import StudentFactory, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "petittalk.accounts.migrations.0002_create_missing_student_profiles"
)


def test_the_migration_gives_a_student_made_outside_sign_up_an_empty_profile():
    student = UserFactory(role=Role.STUDENT)

    migration.create_missing_student_profiles(apps, None)

    profile = StudentProfile.objects.get(user=student)
    assert (profile.level, profile.learning_goals) == ("", "")


def test_the_migration_leaves_existing_profiles_and_other_roles_alone():
    student = StudentFactory()
    student.student_profile.learning_goals = "Order coffee in Lyon"
    student.student_profile.save()
    teacher = UserFactory(role=Role.TEACHER)
    staff = UserFactory(role=Role.STAFF, is_staff=True)

    migration.create_missing_student_profiles(apps, None)

    assert StudentProfile.objects.get(user=student).learning_goals == "Order coffee in Lyon"
    assert not StudentProfile.objects.filter(user__in=[teacher, staff]).exists()
