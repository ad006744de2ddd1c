"""Reads about people."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from petittalk.accounts.models import Role, StudentProfile, User
from petittalk.core.periods import Period


def student_profile_of(student: User) -> StudentProfile:
    """The student's profile; a blank, unsaved one if they have none yet.

    Sign-up makes the profile, but an account made in the admin or a shell has none until the
    student first saves the profile form: a page that only shows it must not create it (GET
    never writes).
    """
    profile = StudentProfile.objects.filter(user=student).first()
    return profile or StudentProfile(user=student)


def student_count() -> int:
    return User.objects.filter(role=Role.STUDENT).count()


def teacher_account(pk: int) -> User:
    """A teacher's account, whatever its profile says; any other account is a 404."""
    return get_object_or_404(User, pk=pk, role=Role.TEACHER)


def new_student_counts(*, periods: list[Period]) -> tuple[int, ...]:
    """Students who signed up in each period. One query."""
    earliest = min(period.start for period in periods)
    figures = User.objects.filter(role=Role.STUDENT, date_joined__gte=earliest).aggregate(
        **{
            f"p{n}": Count(
                "pk", filter=Q(date_joined__gte=period.start, date_joined__lt=period.end)
            )
            for n, period in enumerate(periods)
        }
    )
    return tuple(figures[f"p{n}"] for n in range(len(periods)))
