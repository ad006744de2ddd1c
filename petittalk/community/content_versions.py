"""Every change to a testimonial moves the TESTIMONIALS version (core/versions.py), inside the
transaction of the change: the cached home page shows an approval or a deletion at once. Signals
rather than calls in each service, so a testimonial deleted with its author's account counts too."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from petittalk.community.models import Testimonial
from petittalk.core import versions


def _testimonials_changed(**kwargs) -> None:
    versions.bump([versions.TESTIMONIALS])


def connect() -> None:
    uid = "petittalk.community.content_versions"
    post_save.connect(_testimonials_changed, sender=Testimonial, dispatch_uid=f"{uid}.save")
    post_delete.connect(_testimonials_changed, sender=Testimonial, dispatch_uid=f"{uid}.del")
