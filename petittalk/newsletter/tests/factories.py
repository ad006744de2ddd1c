from __future__ import annotations

import factory
from django.utils import timezone

from petittalk.newsletter.models import Campaign, Subscriber, SubscriberStatus


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    status = SubscriberStatus.CONFIRMED
    optin_round = factory.Sequence(lambda n: f"round{n}")
    confirmed_at = factory.LazyFunction(timezone.now)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    subject = "Spring in Paris"
    body_text = "Bonjour ! Three new teachers joined this month."
