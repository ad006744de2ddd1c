"""Campaigns reach confirmed subscribers only, once each, and every mail lets them leave at once."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from petittalk.accounts.tests.factories import StaffFactory
from petittalk.audit.models import AuditEntry
from petittalk.core.emails import site_domain
from petittalk.newsletter import services
from petittalk.newsletter.delivery import campaign_deliver_queued
from petittalk.newsletter.models import (
    CampaignDelivery,
    CampaignStatus,
    ConsentKind,
    DeliveryStatus,
    SubscriberStatus,
)
from petittalk.newsletter.tests.factories import CampaignFactory, SubscriberFactory
from petittalk.newsletter.tokens import read_unsubscribe_token, unsubscribe_token

pytestmark = pytest.mark.django_db


def send(campaign, capture, actor=None):
    with capture(execute=True):
        return services.campaign_send(campaign=campaign, actor=actor or StaffFactory())


def test_only_confirmed_subscribers_are_mailed_once_each(
    mailoutbox, django_capture_on_commit_callbacks
):
    confirmed = [SubscriberFactory() for _ in range(3)]
    SubscriberFactory(status=SubscriberStatus.PENDING, email="pending@example.com")
    SubscriberFactory(status=SubscriberStatus.UNSUBSCRIBED, email="left@example.com")
    campaign = CampaignFactory()

    send(campaign, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(s.email for s in confirmed)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT and campaign.total == 3
    assert set(CampaignDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert AuditEntry.objects.filter(action="newsletter.campaign.sent").count() == 1


def test_every_campaign_mail_has_one_click_unsubscribe_headers_and_a_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    subscribers = [SubscriberFactory() for _ in range(2)]
    send(CampaignFactory(body_html="<p>Bonjour</p>"), django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 2
    unsubscribe_prefix = settings.SITE_URL + "/newsletter/unsubscribe/"
    for message in mailoutbox:
        [subscriber] = [s for s in subscribers if s.email == message.to[0]]
        # The link's signed token carries the time it was made: read it back rather than
        # making another one (a second may have passed since).
        link, mailto = message.extra_headers["List-Unsubscribe"].split(", ")
        url = link.strip("<>")
        assert url.startswith(unsubscribe_prefix)
        token = url.removeprefix(unsubscribe_prefix).strip("/")
        assert read_unsubscribe_token(token) == subscriber.pk
        assert mailto == f"<mailto:{settings.SUPPORT_EMAIL}?subject=unsubscribe>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert url in message.body
        assert url in message.alternatives[0][0]
        rendered = message.message().as_string()
        assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in rendered
        assert message.message()["Message-ID"].endswith(f"@{site_domain()}>")


def test_a_one_click_post_unsubscribes_at_once_without_a_login_or_csrf(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    client.handler.enforce_csrf_checks = True
    subscriber = SubscriberFactory()
    send(CampaignFactory(), django_capture_on_commit_callbacks)
    url = re.search(
        r"<http://[^/]+(/newsletter/unsubscribe/[^>]+)>",
        mailoutbox[0].extra_headers["List-Unsubscribe"],
    ).group(1)

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED and subscriber.unsubscribed_at
    consent = subscriber.consents.get()
    assert consent.kind == ConsentKind.UNSUBSCRIBE and "One-click" in consent.wording

    # Replayed: still a calm answer, and nothing more is written.
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert subscriber.consents.count() == 1

    # The next campaign does not reach them.
    mailoutbox.clear()
    send(CampaignFactory(), django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_the_unsubscribe_link_opened_shows_a_button_and_writes_nothing(client):
    subscriber = SubscriberFactory()
    url = reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscriber_id=subscriber.pk)])

    response = client.get(url)

    assert response.status_code == 200
    assert "Unsubscribe from the newsletter" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_unsubscribe_link_is_refused(client, method):
    subscriber = SubscriberFactory()
    token = unsubscribe_token(subscriber_id=subscriber.pk)
    forged = unsubscribe_token(subscriber_id=subscriber.pk + 1)[:-4] + token[-4:]

    response = getattr(client, method)(reverse("newsletter:unsubscribe", args=[forged]))

    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED


def test_someone_who_unsubscribes_while_a_campaign_is_sending_is_skipped(
    mailoutbox, django_capture_on_commit_callbacks
):
    stays, leaves = SubscriberFactory(), SubscriberFactory()
    campaign = CampaignFactory()
    services.campaign_send(campaign=campaign, actor=StaffFactory())  # workers not run yet
    services.subscriber_unsubscribe(subscriber=leaves, source="/x/", shown="Unsubscribe me.")

    campaign_deliver_queued(campaign_id=campaign.pk)

    assert [m.to[0] for m in mailoutbox] == [stays.email]
    assert CampaignDelivery.objects.get(subscriber=leaves).status == DeliveryStatus.SKIPPED


def test_a_campaign_is_sent_only_once(django_capture_on_commit_callbacks):
    SubscriberFactory()
    campaign = CampaignFactory()
    send(campaign, django_capture_on_commit_callbacks)

    with pytest.raises(services.NewsletterError, match="already been sent"):
        services.campaign_send(campaign=campaign, actor=StaffFactory())
    assert CampaignDelivery.objects.count() == 1


def test_a_test_send_reaches_the_staff_member_only(mailoutbox, django_capture_on_commit_callbacks):
    SubscriberFactory()
    staff = StaffFactory(email="sophie@petittalk.test")
    campaign = CampaignFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send_test(campaign=campaign, actor=staff)

    [message] = mailoutbox
    assert message.to == ["sophie@petittalk.test"]
    assert message.subject == "[Test] Spring in Paris"
    assert "List-Unsubscribe" in message.extra_headers
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert not CampaignDelivery.objects.exists()
