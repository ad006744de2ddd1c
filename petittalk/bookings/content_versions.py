"""Every booking saved or deleted moves its teacher's calendar version (core/versions.py): a
booked or held slot leaves the cached free slots and the public page at once. It moves its
student's person scope too: their basket and dashboard show it (the teacher's dashboard reads
the teacher's calendar version).

Bulk updates send no signal; the ones that change what is free bump by hand (the checkout's
hold extension in orders.services). Marking lapsed holds expired needs none: a lapsed hold
already stopped blocking its slot when it lapsed, and the cached slots knew that moment
(`holds_lapse_at`). Lessons complete one by one through `booking_complete`, which saves.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from petittalk.bookings.models import Booking
from petittalk.core import versions


def _booking_changed(*, instance: Booking, **kwargs) -> None:
    versions.bump(
        [versions.teacher_scope(instance.teacher_id), versions.person_scope(instance.student_id)]
    )


def connect() -> None:
    uid = "petittalk.bookings.content_versions"
    post_save.connect(_booking_changed, sender=Booking, dispatch_uid=f"{uid}.save")
    post_delete.connect(_booking_changed, sender=Booking, dispatch_uid=f"{uid}.del")
