"""Lesson emails, as written on the wire: the site's Message-ID domain and the person's name on
the To line, encoded so any mail app reads it back."""

from __future__ import annotations

import email
from email import policy

import pytest

from petittalk.bookings import notifications
from petittalk.bookings.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db


def test_lesson_emails_carry_the_sites_message_id_and_each_persons_name(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://lessons.petittalk.example"
    booking = BookingFactory(
        student__display_name="Zoé Martin-Lévy",
        student__email="zoe@example.com",
        teacher__user__display_name="Claire Dubois",
        teacher__user__email="claire@example.com",
    )
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_booking_confirmed(booking=booking)
        notifications.notify_booking_declined(booking=booking)  # one without a calendar file

    names = {}
    for message in mailoutbox:
        raw = message.message().as_bytes(linesep="\r\n")
        parsed = email.message_from_bytes(raw, policy=policy.default)
        assert parsed["Message-ID"].endswith("@lessons.petittalk.example>")
        assert "\n" not in str(parsed["Subject"])
        [address] = parsed["To"].addresses
        names.setdefault(address.addr_spec, set()).add(address.display_name)
    assert names == {
        "zoe@example.com": {"Zoé Martin-Lévy"},
        "claire@example.com": {"Claire Dubois"},
    }
