"""The demo has a newsletter to look at: subscribers in every state, a sent campaign, a draft."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from petittalk.newsletter.models import (
    Campaign,
    CampaignDelivery,
    CampaignStatus,
    ConsentRecord,
    DeliveryStatus,
    Subscriber,
    SubscriberStatus,
)

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_newsletter_subscribers_and_campaigns_and_can_run_again(
    django_capture_on_commit_callbacks, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def snapshot():
        return (
            sorted(Subscriber.objects.values_list("email", "status")),
            sorted(Campaign.objects.values_list("subject", "status")),
            CampaignDelivery.objects.count(),
            ConsentRecord.objects.count(),
        )

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
        if _ == 0:
            first = snapshot()

    assert snapshot() == first  # the second run changed nothing
    statuses = {status for _, status in first[0]}
    assert statuses == set(SubscriberStatus.values)
    assert sorted(status for _, status in first[1]) == [CampaignStatus.DRAFT, CampaignStatus.SENT]
    sent = Campaign.objects.get(status=CampaignStatus.SENT)
    confirmed = Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED).count()
    assert sent.deliveries.filter(status=DeliveryStatus.SENT).count() == sent.total == confirmed
    assert Subscriber.objects.filter(email="sam@example.com", user__isnull=False).exists()
