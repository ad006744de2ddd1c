"""A review shows on its student's dashboard and its teacher's: each save or delete moves both
people's scopes (core/versions.py)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from petittalk.core import versions
from petittalk.reviews.models import Review


def _review_changed(*, instance: Review, **kwargs) -> None:
    versions.bump(
        [
            versions.teacher_scope(instance.teacher_id),
            versions.person_scope(instance.student_id),
        ]
    )


def connect() -> None:
    uid = "petittalk.reviews.content_versions"
    post_save.connect(_review_changed, sender=Review, dispatch_uid=f"{uid}.save")
    post_delete.connect(_review_changed, sender=Review, dispatch_uid=f"{uid}.del")
