from __future__ import annotations

from django_tasks import task

from petittalk.newsletter.delivery import campaign_deliver_queued


@task()
def deliver_campaign(*, campaign_id: int) -> int:
    return campaign_deliver_queued(campaign_id=campaign_id)
