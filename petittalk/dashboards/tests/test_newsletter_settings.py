"""Logged-in people manage their newsletter subscription from account settings."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.newsletter.models import ConsentKind, Subscriber, SubscriberStatus
from petittalk.newsletter.tests.factories import SubscriberFactory

pytestmark = pytest.mark.django_db
SETTINGS = "/dashboard/settings/"


def test_a_verified_account_subscribes_in_one_click(client, mailoutbox):
    student = StudentFactory(email="nora@example.com")
    client.force_login(student)
    assert "Subscribe to the newsletter" in client.get(SETTINGS).content.decode()

    response = client.post(reverse("newsletter:account_subscribe"), follow=True)

    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.CONFIRMED and subscriber.user == student
    assert list(subscriber.consents.values_list("kind", flat=True)) == [
        ConsentKind.SUBSCRIBE,
        ConsentKind.CONFIRM,
    ]
    assert "You are subscribed to the newsletter." in response.content.decode()
    assert mailoutbox == []


def test_an_unverified_address_still_confirms_by_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    student = StudentFactory(email="nora@example.com")
    EmailAddress.objects.filter(user=student).update(verified=False)
    client.force_login(student)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("newsletter:account_subscribe"))

    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    assert "/newsletter/confirm/" in mailoutbox[0].body


def test_a_subscriber_unsubscribes_from_settings(client):
    student = StudentFactory(email="nora@example.com")
    SubscriberFactory(email="Nora@Example.com")
    client.force_login(student)
    assert "Unsubscribe" in client.get(SETTINGS).content.decode()

    client.post(reverse("newsletter:account_unsubscribe"))

    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.consents.get().kind == ConsentKind.UNSUBSCRIBE


def test_the_buttons_need_a_login_and_a_post(client):
    assert client.post(reverse("newsletter:account_subscribe")).status_code == 302
    client.force_login(StudentFactory())
    assert client.get(reverse("newsletter:account_subscribe")).status_code == 405
    assert not Subscriber.objects.exists()
