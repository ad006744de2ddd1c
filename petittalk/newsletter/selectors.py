"""Reads: a subscription from a signed link or an account, and the staff lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from petittalk.accounts.models import User
from petittalk.core.periods import Period
from petittalk.newsletter.models import (
    Campaign,
    CampaignDelivery,
    ConsentKind,
    ConsentRecord,
    DeliveryStatus,
    Subscriber,
    SubscriberStatus,
)
from petittalk.newsletter.tokens import read_confirm_token, read_unsubscribe_token


def subscriber_for_unsubscribe_token(token: str) -> Subscriber | None:
    """The link's subscriber; None for a genuine link whose row no longer exists (or a test
    mail's). Raises BadToken for a forged one."""
    return Subscriber.objects.filter(pk=read_unsubscribe_token(token)).first()


def confirm_token_target(token: str) -> tuple[Subscriber | None, str]:
    """(subscriber, opt-in round) named by a confirmation link; raises BadToken."""
    subscriber_id, optin_round = read_confirm_token(token)
    return Subscriber.objects.filter(pk=subscriber_id).first(), optin_round


def subscription_for_user(user: User) -> Subscriber | None:
    return Subscriber.objects.filter(email__iexact=user.email).first()


def subscribers_for_staff(*, query: str = "", status: str = "") -> QuerySet[Subscriber]:
    subscribers = Subscriber.objects.select_related("user")
    if query:
        subscribers = subscribers.filter(email__icontains=query)
    if status in SubscriberStatus.values:
        subscribers = subscribers.filter(status=status)
    return subscribers


def subscriber_counts() -> dict[str, int]:
    counts = Subscriber.objects.aggregate(
        **{value: Count("pk", filter=Q(status=value)) for value in SubscriberStatus.values}
    )
    return counts


def subscriber_for_staff(pk: int) -> Subscriber:
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None:
        raise Http404
    return subscriber


def campaigns_for_staff() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("created_by")


def campaign_for_staff(pk: int) -> Campaign:
    campaign = Campaign.objects.select_related("created_by").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


@dataclass(frozen=True)
class Progress:
    total: int
    queued: int
    sending: int
    sent: int
    failed: int
    skipped: int

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.skipped


def campaign_progress(campaign: Campaign) -> Progress:
    """Counted from the deliveries in one query. `sending` rows are in flight, or were left by
    a worker that died mid-send: whether those were mailed is unknown, and none is mailed twice."""
    counts = CampaignDelivery.objects.filter(campaign=campaign).aggregate(
        **{value: Count("pk", filter=Q(status=value)) for value in DeliveryStatus.values}
    )
    return Progress(
        total=campaign.total,
        queued=counts[DeliveryStatus.QUEUED],
        sending=counts[DeliveryStatus.SENDING],
        sent=counts[DeliveryStatus.SENT],
        failed=counts[DeliveryStatus.FAILED],
        skipped=counts[DeliveryStatus.SKIPPED],
    )


@dataclass(frozen=True)
class Growth:
    confirmed: int
    unsubscribed: int

    @property
    def net(self) -> int:
        return self.confirmed - self.unsubscribed


def newsletter_growth(*, periods: list[Period]) -> list[Growth]:
    """Addresses confirmed and addresses unsubscribed in each period, from the consent records
    (one per confirmation and per unsubscribe, so an address that leaves and comes back counts
    each time). One query."""
    earliest = min(period.start for period in periods)
    figures = ConsentRecord.objects.filter(at__gte=earliest).aggregate(
        **{
            f"{kind}_{n}": Count("pk", filter=Q(kind=kind, at__gte=period.start, at__lt=period.end))
            for n, period in enumerate(periods)
            for kind in (ConsentKind.CONFIRM, ConsentKind.UNSUBSCRIBE)
        }
    )
    return [
        Growth(
            confirmed=figures[f"{ConsentKind.CONFIRM}_{n}"],
            unsubscribed=figures[f"{ConsentKind.UNSUBSCRIBE}_{n}"],
        )
        for n in range(len(periods))
    ]
