"""Every change to an offer, or to the teachers it applies to, moves the OFFERS version
(core/versions.py). Uses of an offer (redemptions) do not: a page showing an offer with a
limited number of uses keeps it only briefly instead (pages.views.HOME_WITH_LIMITED_OFFERS).
Private pages (a student's basket) move with every use: OFFER_USES and the student's own scope;
the bulk inserts and updates in offers.services bump them by hand."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from petittalk.core import versions
from petittalk.offers.models import Offer, OfferRedemption


def _offers_changed(**kwargs) -> None:
    versions.bump([versions.OFFERS])


def _redemption_changed(*, instance: OfferRedemption, **kwargs) -> None:
    versions.bump([versions.person_scope(instance.student_id), versions.OFFER_USES])


def connect() -> None:
    uid = "petittalk.offers.content_versions"
    post_save.connect(_offers_changed, sender=Offer, dispatch_uid=f"{uid}.save")
    post_delete.connect(_offers_changed, sender=Offer, dispatch_uid=f"{uid}.del")
    m2m_changed.connect(_offers_changed, sender=Offer.teachers.through, dispatch_uid=f"{uid}.m2m")
    post_save.connect(_redemption_changed, sender=OfferRedemption, dispatch_uid=f"{uid}.use")
    post_delete.connect(_redemption_changed, sender=OfferRedemption, dispatch_uid=f"{uid}.use-del")
