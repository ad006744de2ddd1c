"""The contact form: stored for staff, mailed to support (answers go to the sender) and
acknowledged to the sender; bots and bad input store nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.audit.models import AuditEntry
from petittalk.community.models import ContactMessage
from petittalk.community.tests.factories import ContactMessageFactory

pytestmark = pytest.mark.django_db
GOOD = {
    "name": "Lea Martin",
    "email": "lea@example.com",
    "subject": "Lessons for my daughter",
    "message": "Hello, do you have teachers for a 12-year-old?",
    "website": "",
}


def test_a_message_is_stored_and_mailed_to_support_and_acknowledged(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SUPPORT_EMAIL = "help@petittalk.test"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("community:contact"), GOOD)

    assert response.status_code == 200
    assert "we got your message" in response.content.decode()
    stored = ContactMessage.objects.get()
    assert (stored.name, stored.email, stored.subject) == (
        "Lea Martin",
        "lea@example.com",
        "Lessons for my daughter",
    )
    support, acknowledgement = mailoutbox
    assert support.to == ["help@petittalk.test"]
    assert support.reply_to == ["lea@example.com"]
    assert "do you have teachers for a 12-year-old?" in support.body
    assert acknowledgement.to == ["lea@example.com"]
    assert "Lessons for my daughter" in acknowledgement.subject


def test_a_filled_honeypot_pretends_success_and_stores_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("community:contact"), {**GOOD, "website": "http://spam.example"}
        )

    assert response.status_code == 200
    assert "we got your message" in response.content.decode()
    assert not ContactMessage.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "  "}, "Tell us your name."),
        ({"email": ""}, "Enter your email address"),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"subject": ""}, "Write a subject."),
        ({"message": "   "}, "Write your message."),
        ({"message": "x" * 5001}, "Keep your message under 5000 characters."),
        ({"name": "n" * 101}, "Keep your name under 100 characters."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    client, mailoutbox, django_capture_on_commit_callbacks, change, message
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("community:contact"), {**GOOD, **change})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ContactMessage.objects.exists()
    assert mailoutbox == []


def test_sending_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "contact_message": "2/h/ip"}
    for _ in range(2):
        client.post(reverse("community:contact"), GOOD)

    response = client.post(reverse("community:contact"), GOOD)

    assert response.status_code == 429
    assert "Too many messages" in response.content.decode()
    assert ContactMessage.objects.count() == 2


def test_html_in_a_message_is_shown_escaped_to_staff(client):
    contact = ContactMessageFactory(
        subject='<img src=x onerror="alert(1)">', message="<script>alert(1)</script>"
    )
    client.force_login(StaffFactory())

    for url in (reverse("staff:contact_list"), reverse("staff:contact_detail", args=[contact.pk])):
        body = client.get(url).content.decode()
        assert "<script>alert(1)" not in body and "<img src=x" not in body
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body


def test_staff_read_a_message_and_mark_it_handled(client):
    contact = ContactMessageFactory(subject="Refund question")
    ContactMessageFactory(subject="Old one", handled_at="2025-01-01T10:00Z")
    staff = StaffFactory()
    client.force_login(staff)

    open_list = client.get(reverse("staff:contact_list")).content.decode()
    assert "Refund question" in open_list and "Old one" not in open_list
    detail = client.get(reverse("staff:contact_detail", args=[contact.pk])).content.decode()
    assert contact.message in detail

    client.post(reverse("staff:contact_mark_handled", args=[contact.pk]))

    contact.refresh_from_db()
    assert contact.handled_by == staff and contact.handled_at is not None
    assert AuditEntry.objects.filter(action="contact.handled", actor=staff).count() == 1
    handled = client.get(reverse("staff:contact_list"), {"handled": "1"}).content.decode()
    assert "Refund question" in handled
    again = client.post(reverse("staff:contact_mark_handled", args=[contact.pk]), follow=True)
    assert "already marked handled" in again.content.decode()
    assert AuditEntry.objects.count() == 1


def test_nobody_but_staff_reaches_the_contact_messages(client):
    contact = ContactMessageFactory()
    client.force_login(StudentFactory())

    assert client.get(reverse("staff:contact_list")).status_code == 404
    assert client.get(reverse("staff:contact_detail", args=[contact.pk])).status_code == 404
    assert client.post(reverse("staff:contact_mark_handled", args=[contact.pk])).status_code == 404
    contact.refresh_from_db()
    assert contact.handled_at is None


def test_the_footer_links_to_the_contact_page(client):
    assert 'href="/contact/"' in client.get("/").content.decode()
