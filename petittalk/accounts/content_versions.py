"""A person's own pages move with their account (core/versions.py): a User or StudentProfile
saved moves that person's scope, and a User saved moves PEOPLE too (their name shows on other
people's private pages: a teacher's dashboard names its students)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from petittalk.accounts.models import StudentProfile, User
from petittalk.core import versions


def _user_saved(*, instance: User, update_fields=None, **kwargs) -> None:
    # Logging in saves last_login alone: nothing a page shows.
    if set(update_fields or ()) == {"last_login"}:
        return
    versions.bump([versions.person_scope(instance.pk), versions.PEOPLE])


def _profile_saved(*, instance: StudentProfile, **kwargs) -> None:
    versions.bump([versions.person_scope(instance.user_id)])


def connect() -> None:
    uid = "petittalk.accounts.content_versions"
    post_save.connect(_user_saved, sender=User, dispatch_uid=f"{uid}.user")
    post_delete.connect(_user_saved, sender=User, dispatch_uid=f"{uid}.user-del")
    post_save.connect(_profile_saved, sender=StudentProfile, dispatch_uid=f"{uid}.profile")
    post_delete.connect(_profile_saved, sender=StudentProfile, dispatch_uid=f"{uid}.profile-del")
