"""The money emails as a mail server and a mail app see them: one-line subjects, the site's own
Message-ID domain, the student's name on the To line, and no empty discount line."""

from __future__ import annotations

import email
from datetime import timedelta
from decimal import Decimal
from email import policy

import pytest

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.core.timefmt import format_datetime
from petittalk.payments import services
from petittalk.payments.tests.helpers import paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://lessons.petittalk.example"


@pytest.fixture
def student():
    return StudentFactory(display_name="Sam Lée", email="sam@example.com")


def wire(message) -> email.message.EmailMessage:
    """The message as the SMTP backend writes it, parsed back the way a mail app reads it."""
    raw = message.message().as_bytes(linesep="\r\n")
    return email.message_from_bytes(raw, policy=policy.default), raw.decode()


def test_the_refund_email_has_a_one_line_subject_and_the_sites_headers(
    student, mailoutbox, django_capture_on_commit_callbacks
):
    order = paid_order(student, "45.00")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_line(
            line=order.lines.get(), amount=Decimal("45.00"), reason="by hand", idempotency_key="k"
        )

    [refund] = [m for m in mailoutbox if "Refund" in m.subject]
    parsed, raw = wire(refund)
    assert "Subject: \r\n" not in raw  # no folded blank line before the subject's text
    assert parsed["Subject"] == f"[Petit Talk] Refund of €45.00 for order {order.number}"
    assert parsed["Message-ID"].endswith("@lessons.petittalk.example>")
    assert parsed["To"].addresses[0].display_name == "Sam Taylor"  # the billing name
    assert parsed["To"].addresses[0].addr_spec == "sam@example.com"
    assert refund.recipients() == ["sam@example.com"]


def test_the_receipt_shows_no_discount_line_without_a_discount(
    student, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        paid_order(student, "22.00")

    [receipt] = [m for m in mailoutbox if "Receipt" in m.subject]
    [(html, _)] = receipt.alternatives
    assert "Discount" not in receipt.body and "Discount" not in html
    assert "Total paid: €22.00" in receipt.body
    parsed, _ = wire(receipt)
    assert parsed["Message-ID"].endswith("@lessons.petittalk.example>")
    assert parsed["To"].addresses[0].display_name == "Sam Taylor"  # the billing name


def test_the_refund_of_a_moved_lesson_shows_its_time_now_and_where_it_moved_from(
    mailoutbox, django_capture_on_commit_callbacks
):
    student = StudentFactory(timezone="America/New_York")
    order = paid_order(student, "45.00")
    line = order.lines.get()
    bought_for = line.starts_at
    # The lesson moved a day later after it was bought (the order line keeps the old time).
    booking = line.booking
    booking.rescheduled_from = booking.starts_at
    booking.starts_at += timedelta(days=1)
    booking.ends_at += timedelta(days=1)
    booking.save()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.refund_line(line=line, amount=Decimal("45.00"), reason="x", idempotency_key="k")

    [refund] = mailoutbox
    [(html, _)] = refund.alternatives
    old = format_datetime(bought_for, "America/New_York")
    new = format_datetime(booking.starts_at, "America/New_York")
    assert f"moved from {old} to {new}" in refund.body
    assert f"moved from {old} to {new}" in html
