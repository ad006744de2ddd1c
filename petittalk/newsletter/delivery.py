"""Mailing a campaign, at most once per subscriber even when a worker dies midway.

Each delivery is claimed on its own: locked with SKIP LOCKED (so workers running side by side
take different rows), marked `sending` and *committed* before its mail goes out, then marked
`sent`. A worker killed between the two leaves that one row `sending`: no worker ever claims it
again (it may or may not have been mailed: the campaign page counts it as unknown), and every
`queued` row is still there for the next worker.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from petittalk.newsletter.mail import campaign_message
from petittalk.newsletter.models import (
    Campaign,
    CampaignDelivery,
    CampaignStatus,
    DeliveryStatus,
    SubscriberStatus,
)

logger = logging.getLogger(__name__)


def _claim(campaign_id: int) -> CampaignDelivery | None:
    with transaction.atomic():
        delivery = (
            CampaignDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscriber", "campaign")
            .filter(campaign_id=campaign_id, status=DeliveryStatus.QUEUED)
            .order_by("pk")
            .first()
        )
        if delivery is None:
            return None
        # Unsubscribed since the campaign started (the row is re-read under its lock here).
        if delivery.subscriber.status != SubscriberStatus.CONFIRMED:
            delivery.status = DeliveryStatus.SKIPPED
        else:
            delivery.status = DeliveryStatus.SENDING
        delivery.updated_at = timezone.now()
        delivery.save(update_fields=["status", "updated_at"])
    return delivery


def _finish(delivery: CampaignDelivery, status: DeliveryStatus, error: str = "") -> None:
    CampaignDelivery.objects.filter(pk=delivery.pk).update(
        status=status, error=error[:300], updated_at=timezone.now()
    )


def campaign_deliver_queued(*, campaign_id: int) -> int:
    """Mail every queued delivery of the campaign; returns how many this call mailed."""
    mailed = 0
    while (delivery := _claim(campaign_id)) is not None:
        if delivery.status == DeliveryStatus.SKIPPED:
            continue
        message = campaign_message(
            campaign=delivery.campaign,
            to=delivery.subscriber.email,
            subscriber_id=delivery.subscriber_id,
        )
        try:
            message.send()
        except Exception as exc:  # any mail server error fails this delivery only
            logger.warning("Campaign %s: mail to delivery %s failed", campaign_id, delivery.pk)
            _finish(delivery, DeliveryStatus.FAILED, f"{type(exc).__name__}: {exc}")
        else:
            _finish(delivery, DeliveryStatus.SENT)
            mailed += 1
    _close_if_done(campaign_id)
    return mailed


def _close_if_done(campaign_id: int) -> None:
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.status != CampaignStatus.SENDING:
            return
        busy = CampaignDelivery.objects.filter(
            campaign_id=campaign_id, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
        ).exists()
        if not busy:
            campaign.status = CampaignStatus.SENT
            campaign.finished_at = timezone.now()
            campaign.save(update_fields=["status", "finished_at"])
