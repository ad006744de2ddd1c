"""A visitor subscribes, confirms by the emailed link's button, and can leave and come back."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from petittalk.newsletter import wording
from petittalk.newsletter.models import ConsentKind, ConsentRecord, Subscriber, SubscriberStatus
from petittalk.newsletter.tests.factories import SubscriberFactory
from petittalk.newsletter.tokens import CONFIRM_SALT, confirm_token

pytestmark = pytest.mark.django_db
SUBSCRIBE = "/newsletter/subscribe/"


def subscribe(client, capture, email: str, source: str = "/teachers/"):
    with capture(execute=True):
        return client.post(SUBSCRIBE, {"email": email, "source": source})


def link_in(message, kind: str) -> str:
    return re.search(rf"http://\S+(/newsletter/{kind}/\S+/)", message.body).group(1)


def test_subscribing_mails_a_link_whose_button_confirms(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    response = subscribe(client, django_capture_on_commit_callbacks, "Zoe.Martin@Example.com")

    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Zoe.Martin@Example.com"  # kept as typed
    assert subscriber.status == SubscriberStatus.PENDING
    consent = ConsentRecord.objects.get()
    assert (consent.kind, consent.source, consent.wording) == (
        ConsentKind.SUBSCRIBE,
        "/teachers/",
        wording.SUBSCRIBE,
    )
    [message] = mailoutbox
    assert message.to == ["Zoe.Martin@Example.com"]
    link = link_in(message, "confirm")

    page = client.get(link)  # a mail scanner following the link changes nothing
    assert page.status_code == 200 and "Confirm your subscription" in page.content.decode()
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING

    done = client.post(link)
    assert done.status_code == 200 and "You are subscribed" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED and subscriber.confirmed_at
    assert list(subscriber.consents.values_list("kind", flat=True)) == [
        ConsentKind.SUBSCRIBE,
        ConsentKind.CONFIRM,
    ]


def test_the_same_address_in_another_case_is_the_same_subscriber(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe(client, django_capture_on_commit_callbacks, "zoe@example.com")
    subscribe(client, django_capture_on_commit_callbacks, "ZOE@EXAMPLE.COM")

    assert Subscriber.objects.count() == 1
    # Both mails carry a link to the same opt-in round: either one confirms.
    assert (
        link_in(mailoutbox[0], "confirm").split("/")[3].split(":")[0]
        == (link_in(mailoutbox[1], "confirm").split("/")[3].split(":")[0])
    )


def test_the_answer_is_the_same_whatever_the_address_state(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="known@example.com")
    SubscriberFactory(email="left@example.com", status=SubscriberStatus.UNSUBSCRIBED)
    SubscriberFactory(email="waiting@example.com", status=SubscriberStatus.PENDING)

    pages = {
        email: subscribe(client, django_capture_on_commit_callbacks, email)
        for email in (
            "new@example.com",
            "known@example.com",
            "left@example.com",
            "waiting@example.com",
        )
    }

    # Identical but for the CSRF token, masked afresh on every page (64 letters and digits).
    bodies = {
        email: re.sub(r"[A-Za-z0-9]{64}", "", page.content.decode())
        for email, page in pages.items()
    }
    assert {page.status_code for page in pages.values()} == {200}
    assert len(set(bodies.values())) == 1
    # Only the confirmed address's owner hears that it is subscribed already; the others get
    # a link to confirm.
    by_address = {message.to[0]: message for message in mailoutbox}
    assert "already subscribed" in by_address["known@example.com"].body
    assert "/newsletter/confirm/" not in by_address["known@example.com"].body
    for email in ("new@example.com", "left@example.com", "waiting@example.com"):
        assert "/newsletter/confirm/" in by_address[email].body
    assert Subscriber.objects.get(email="known@example.com").status == SubscriberStatus.CONFIRMED


def test_resubscribing_after_unsubscribing_needs_a_new_confirmation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe(client, django_capture_on_commit_callbacks, "zoe@example.com")
    first_link = link_in(mailoutbox[0], "confirm")
    client.post(first_link)
    subscriber = Subscriber.objects.get()
    subscriber.status = SubscriberStatus.UNSUBSCRIBED
    subscriber.save()

    subscribe(client, django_capture_on_commit_callbacks, "zoe@example.com")
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING

    # The old link belongs to the earlier opt-in: it cannot confirm this one.
    replay = client.post(first_link)
    assert replay.status_code == 409
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    client.post(link_in(mailoutbox[1], "confirm"))
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED


def test_a_replayed_confirm_link_writes_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    subscribe(client, django_capture_on_commit_callbacks, "zoe@example.com")
    link = link_in(mailoutbox[0], "confirm")
    client.post(link)
    consents = ConsentRecord.objects.count()

    replay = client.post(link)

    assert replay.status_code == 409
    assert "already confirmed" in replay.content.decode()
    assert ConsentRecord.objects.count() == consents


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_confirm_link_is_refused(client, method):
    subscriber = SubscriberFactory(status=SubscriberStatus.PENDING)
    token = confirm_token(subscriber_id=subscriber.pk, optin_round=subscriber.optin_round)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = getattr(client, method)(reverse("newsletter:confirm", args=[forged]))

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING


def test_an_expired_confirm_link_is_refused(client):
    subscriber = SubscriberFactory(status=SubscriberStatus.PENDING)
    token = confirm_token(subscriber_id=subscriber.pk, optin_round=subscriber.optin_round)

    with time_machine.travel(dt.timedelta(days=7, minutes=1)):
        response = client.post(reverse("newsletter:confirm", args=[token]))

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    assert not ConsentRecord.objects.exists()


def test_a_token_signed_for_something_else_is_refused(client):
    subscriber = SubscriberFactory(status=SubscriberStatus.PENDING)
    token = signing.dumps("hello", salt=CONFIRM_SALT)

    response = client.post(reverse("newsletter:confirm", args=[token]))

    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address."),
        ("not-an-email", "Enter a valid email address."),
        ("a" * 250 + "@example.com", "at most 254 characters"),
        ("<script>alert(1)</script>@example.com", "Enter a valid email address."),
    ],
)
def test_bad_addresses_get_a_clear_message_and_nothing_is_written(
    client, mailoutbox, django_capture_on_commit_callbacks, email, message
):
    response = subscribe(client, django_capture_on_commit_callbacks, email)

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "<script>alert(1)" not in body
    assert not Subscriber.objects.exists() and mailoutbox == []


def test_a_source_that_is_not_one_of_our_paths_is_stored_as_the_home_page(
    client, django_capture_on_commit_callbacks
):
    subscribe(
        client, django_capture_on_commit_callbacks, "zoe@example.com", "https://evil.example/"
    )

    assert ConsentRecord.objects.get().source == "/"


def test_subscribing_is_rate_limited_per_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    answers = [
        subscribe(client, django_capture_on_commit_callbacks, "zoe@example.com").status_code
        for _ in range(4)
    ]

    assert answers == [200, 200, 200, 429]
    assert len(mailoutbox) == 3


def test_the_home_page_and_the_footer_carry_the_sign_up_form(client):
    body = client.get("/").content.decode()

    assert body.count('action="/newsletter/subscribe/"') == 2
    assert body.count(wording.SUBSCRIBE) == 2
