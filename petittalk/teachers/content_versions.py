"""Every change to what a teacher's public profile shows moves the TEACHERS version
(core/versions.py), so cached public pages are never stale."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from petittalk.accounts.models import Role, User
from petittalk.core import versions
from petittalk.teachers.models import Language, Specialty, TeacherProfile


def _profiles_changed(**kwargs) -> None:
    versions.bump([versions.TEACHERS])


def _user_saved(*, instance: User, update_fields=None, **kwargs) -> None:
    # Logging in saves last_login alone: nothing a page shows.
    if instance.role != Role.TEACHER or set(update_fields or ()) == {"last_login"}:
        return
    versions.bump([versions.TEACHERS])


def connect() -> None:
    uid = "petittalk.teachers.content_versions"
    for model in (TeacherProfile, Language, Specialty):
        post_save.connect(_profiles_changed, sender=model, dispatch_uid=f"{uid}.save.{model}")
        post_delete.connect(_profiles_changed, sender=model, dispatch_uid=f"{uid}.del.{model}")
    for through in (TeacherProfile.languages.through, TeacherProfile.specialties.through):
        m2m_changed.connect(_profiles_changed, sender=through, dispatch_uid=f"{uid}.m2m.{through}")
    post_save.connect(_user_saved, sender=User, dispatch_uid=f"{uid}.user")
    post_delete.connect(_user_saved, sender=User, dispatch_uid=f"{uid}.user-del")
