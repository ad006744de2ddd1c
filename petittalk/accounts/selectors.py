"""Reads about people."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from petittalk.accounts.models import Role, StudentProfile, User


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
