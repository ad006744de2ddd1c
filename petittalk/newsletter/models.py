"""Subscribers (double opt-in, with the consent they gave) and the campaigns mailed to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Subscribed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


class Subscriber(models.Model):
    # Kept as typed (mail servers may treat the local part case-sensitively); one row per address
    # whatever its case, by the functional unique constraint below.
    email = models.EmailField(max_length=254)
    status = models.CharField(
        max_length=12, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscriptions",
    )
    # Changes each time the address enters double opt-in, so a confirmation link from an earlier
    # round (before an unsubscribe) cannot subscribe the address again without a new click.
    optin_round = models.CharField(max_length=24, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_ci_unique")
        ]
        indexes = [models.Index(fields=["status", "created_at"])]
        ordering = ["-created_at", "-pk"]

    Status = SubscriberStatus

    def __str__(self) -> str:
        return self.email


class ConsentKind(models.TextChoices):
    SUBSCRIBE = "subscribe", "Asked to subscribe"
    CONFIRM = "confirm", "Confirmed"
    UNSUBSCRIBE = "unsubscribe", "Unsubscribed"


class ConsentRecord(models.Model):
    """What the person was shown and did, when and where: the proof of consent (or its end)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=12, choices=ConsentKind.choices)
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=200)
    wording = models.TextField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.subscriber} {self.kind} at {self.at:%Y-%m-%d %H:%M}"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"


class Campaign(models.Model):
    subject = models.CharField(max_length=150)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(
        max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The confirmed subscribers when sending started; the other figures are counted from the
    # deliveries, so they can never disagree with them.
    total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    Status = CampaignStatus

    def __str__(self) -> str:
        return self.subject


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # Unsubscribed between the start of the campaign and their turn: not mailed.
    SKIPPED = "skipped", "Skipped"


class CampaignDelivery(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    updated_at = models.DateTimeField(default=timezone.now)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscriber"], name="newsletter_one_delivery_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.subscriber_id}: {self.status}"
