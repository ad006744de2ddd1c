"""A change to a teacher's weekly rules or time off moves that teacher's calendar version
(core/versions.py): their cached free slots and public page are recomputed at once."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from petittalk.core import versions
from petittalk.scheduling.models import AvailabilityRule, TimeOff


def _calendar_changed(*, instance: AvailabilityRule | TimeOff, **kwargs) -> None:
    versions.bump([versions.teacher_scope(instance.teacher_id)])


def connect() -> None:
    uid = "petittalk.scheduling.content_versions"
    for model in (AvailabilityRule, TimeOff):
        post_save.connect(_calendar_changed, sender=model, dispatch_uid=f"{uid}.save.{model}")
        post_delete.connect(_calendar_changed, sender=model, dispatch_uid=f"{uid}.del.{model}")
