"""Writes: subscriptions (double opt-in, consent records) and campaigns."""

from __future__ import annotations

import math
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from petittalk.accounts.models import User
from petittalk.audit.services import audit_log
from petittalk.core.emails import queue_templated_email
from petittalk.newsletter import wording
from petittalk.newsletter.mail import campaign_message, unsubscribe_url
from petittalk.newsletter.models import (
    Campaign,
    CampaignDelivery,
    CampaignStatus,
    ConsentKind,
    ConsentRecord,
    DeliveryStatus,
    Subscriber,
    SubscriberStatus,
)
from petittalk.newsletter.tasks import deliver_campaign
from petittalk.newsletter.tokens import CONFIRM_VALID_FOR, confirm_token

EMAIL_MAX_LENGTH = 254
SOURCE_MAX_LENGTH = 200
SUBJECT_MAX_LENGTH = 150
BODY_MAX_LENGTH = 100_000
# One worker task per this many recipients. Each task mails until no delivery is queued, so
# several workers share a big campaign, and a task still waiting lets another worker carry on
# when the one mailing dies.
RECIPIENTS_PER_TASK = 100


class NewsletterError(Exception):
    """A refused change; the message is shown to the person as it is."""


def clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        raise NewsletterError("Enter your email address.")
    if len(email) > EMAIL_MAX_LENGTH:
        raise NewsletterError("That email address is too long.")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise NewsletterError("Enter a valid email address.") from exc
    return email


def clean_source(source: str) -> str:
    """The page the form was on: a path of ours, or "/" when it is anything else."""
    source = (source or "").strip()
    if not source.startswith("/") or source.startswith("//") or len(source) > SOURCE_MAX_LENGTH:
        return "/"
    return source


def _consent(subscriber: Subscriber, kind: ConsentKind, source: str, text: str) -> None:
    ConsentRecord.objects.create(
        subscriber=subscriber, kind=kind, source=clean_source(source), wording=text
    )


def _locked_subscriber(email: str) -> Subscriber:
    """The address's row, locked; created pending when new (concurrent creators meet on the
    case-insensitive unique constraint and the loser takes the winner's row)."""
    found = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    if found:
        return found
    try:
        with transaction.atomic():
            # Starts unsubscribed, so a new address enters opt-in as a returning one does.
            return Subscriber.objects.create(email=email, status=SubscriberStatus.UNSUBSCRIBED)
    except IntegrityError:
        return Subscriber.objects.select_for_update().get(email__iexact=email)


def _send_confirmation(subscriber: Subscriber) -> None:
    token = confirm_token(subscriber_id=subscriber.pk, optin_round=subscriber.optin_round)
    queue_templated_email(
        template="newsletter/emails/confirm",
        to=[subscriber.email],
        context={
            "confirm_url": settings.SITE_URL + reverse("newsletter:confirm", args=[token]),
            "valid_days": CONFIRM_VALID_FOR.days,
        },
    )


@transaction.atomic
def subscriber_subscribe(
    *, email: str, source: str, shown: str = wording.SUBSCRIBE, user: User | None = None
) -> Subscriber:
    """Start double opt-in for `email`. What happens next depends on the address's state, but
    the caller shows the same answer whatever it is: the form must not reveal who subscribed.

    New, pending or unsubscribed: a confirmation link is mailed (pending ones get the same link
    again). Already confirmed: its owner is told so by email; nothing changes.
    """
    subscriber = _locked_subscriber(clean_email(email))
    if subscriber.status == SubscriberStatus.CONFIRMED:
        queue_templated_email(
            template="newsletter/emails/already",
            to=[subscriber.email],
            context={"unsubscribe_url": unsubscribe_url(subscriber.pk)},
        )
        return subscriber
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.PENDING
        subscriber.optin_round = secrets.token_urlsafe(12)
    if user is not None and subscriber.user_id is None:
        subscriber.user = user
    subscriber.save(update_fields=["status", "optin_round", "user"])
    _consent(subscriber, ConsentKind.SUBSCRIBE, source, shown)
    _send_confirmation(subscriber)
    return subscriber


@transaction.atomic
def subscriber_confirm(*, subscriber_id: int, optin_round: str, source: str) -> Subscriber:
    """The click on the emailed link's button. Only the link of the current opt-in round of a
    pending address works; anything else writes nothing."""
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.optin_round != optin_round:
        raise NewsletterError("This confirmation link is no longer valid. Subscribe again.")
    if subscriber.status == SubscriberStatus.CONFIRMED:
        raise NewsletterError("Your subscription is already confirmed.")
    if subscriber.status != SubscriberStatus.PENDING:
        raise NewsletterError("This confirmation link is no longer valid. Subscribe again.")
    _confirm(subscriber, source, wording.CONFIRM)
    return subscriber


def _confirm(subscriber: Subscriber, source: str, text: str) -> None:
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    _consent(subscriber, ConsentKind.CONFIRM, source, text)


def _has_verified_email(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


@transaction.atomic
def subscriber_subscribe_account(*, user: User, source: str) -> Subscriber:
    """Subscribe a logged-in user's own address from their settings.

    The account's address was verified by a link mailed to it (verification is mandatory), and
    the person pressing the button is logged in to that account: that is what double opt-in
    proves, so it is confirmed at once. An unverified address still gets the confirmation mail.
    """
    if not _has_verified_email(user):
        return subscriber_subscribe(email=user.email, source=source, user=user)
    subscriber = _locked_subscriber(user.email)
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber
    subscriber.optin_round = secrets.token_urlsafe(12)
    subscriber.user = user
    subscriber.save(update_fields=["optin_round", "user"])
    _consent(subscriber, ConsentKind.SUBSCRIBE, source, wording.SUBSCRIBE)
    _confirm(subscriber, source, "Confirmed by the logged-in owner of the verified address.")
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(
    *, subscriber: Subscriber, source: str, shown: str, actor: User | None = None
) -> Subscriber:
    """Stop mailing the address at once. Unsubscribing twice changes nothing the second time.
    `actor` is the staff member who did it, if it was not the subscriber."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return subscriber
    before = subscriber.status
    subscriber.status = SubscriberStatus.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    _consent(subscriber, ConsentKind.UNSUBSCRIBE, source, shown)
    if actor is not None:
        audit_log(
            actor=actor,
            action="newsletter.subscriber.unsubscribed",
            obj=subscriber,
            data={"status": {"before": before, "after": subscriber.status}},
        )
    return subscriber


def _clean_campaign(subject: str, body_text: str, body_html: str) -> tuple[str, str, str]:
    subject = " ".join((subject or "").split())
    body_text = (body_text or "").strip()
    body_html = (body_html or "").strip()
    if not subject:
        raise NewsletterError("Write a subject.")
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise NewsletterError(f"Keep the subject under {SUBJECT_MAX_LENGTH} characters.")
    if not body_text:
        raise NewsletterError("Write the text of the email.")
    if len(body_text) > BODY_MAX_LENGTH or len(body_html) > BODY_MAX_LENGTH:
        raise NewsletterError("The email is too long.")
    return subject, body_text, body_html


@transaction.atomic
def campaign_create(*, subject: str, body_text: str, body_html: str, actor: User) -> Campaign:
    subject, body_text, body_html = _clean_campaign(subject, body_text, body_html)
    campaign = Campaign.objects.create(
        subject=subject, body_text=body_text, body_html=body_html, created_by=actor
    )
    audit_log(
        actor=actor, action="newsletter.campaign.created", obj=campaign, data={"subject": subject}
    )
    return campaign


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, subject: str, body_text: str, body_html: str, actor: User
) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise NewsletterError("This campaign has been sent: it can no longer be changed.")
    subject, body_text, body_html = _clean_campaign(subject, body_text, body_html)
    changed = [
        name
        for name, value in (
            ("subject", subject),
            ("body_text", body_text),
            ("body_html", body_html),
        )
        if getattr(campaign, name) != value
    ]
    campaign.subject, campaign.body_text, campaign.body_html = subject, body_text, body_html
    campaign.save(update_fields=["subject", "body_text", "body_html"])
    audit_log(
        actor=actor, action="newsletter.campaign.changed", obj=campaign, data={"fields": changed}
    )
    return campaign


@transaction.atomic
def campaign_send_test(*, campaign: Campaign, actor: User) -> None:
    """Mail the campaign, as subscribers will see it, to the staff member only."""
    own = Subscriber.objects.filter(email__iexact=actor.email).first()
    message = campaign_message(
        campaign=campaign, to=actor.email, subscriber_id=own.pk if own else 0, test=True
    )
    audit_log(actor=actor, action="newsletter.campaign.test_sent", obj=campaign)
    transaction.on_commit(message.send)


@transaction.atomic
def campaign_send(*, campaign: Campaign, actor: User) -> Campaign:
    """Queue one delivery per confirmed subscriber and hand them to the task workers."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise NewsletterError("This campaign has already been sent.")
    recipients = Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED).values_list(
        "pk", flat=True
    )
    deliveries = CampaignDelivery.objects.bulk_create(
        [CampaignDelivery(campaign=campaign, subscriber_id=pk) for pk in recipients.iterator()],
        batch_size=1000,
    )
    campaign.status = CampaignStatus.SENDING
    campaign.started_at = timezone.now()
    campaign.total = len(deliveries)
    campaign.save(update_fields=["status", "started_at", "total"])
    audit_log(
        actor=actor,
        action="newsletter.campaign.sent",
        obj=campaign,
        data={"recipients": campaign.total},
    )
    _enqueue_workers(campaign.pk, max(1, math.ceil(campaign.total / RECIPIENTS_PER_TASK)))
    return campaign


def _enqueue_workers(campaign_id: int, count: int) -> None:
    def enqueue() -> None:
        for _ in range(count):
            deliver_campaign.enqueue(campaign_id=campaign_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def campaign_resume(*, campaign: Campaign, actor: User) -> Campaign:
    """Hand the still-queued deliveries to a worker again (after the workers were stopped)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    queued = campaign.deliveries.filter(status=DeliveryStatus.QUEUED).count()
    if campaign.status != CampaignStatus.SENDING or not queued:
        raise NewsletterError("Nothing is waiting to be sent.")
    audit_log(
        actor=actor, action="newsletter.campaign.resumed", obj=campaign, data={"queued": queued}
    )
    _enqueue_workers(campaign.pk, 1)
    return campaign
