"""The log itself: one entry per call, in the transaction of the change or not at all."""

from __future__ import annotations

import pytest
from django.db import transaction

from petittalk.accounts.tests.factories import StaffFactory
from petittalk.audit.models import AuditEntry
from petittalk.audit.services import AuditOutsideTransaction, audit_log
from petittalk.bookings import notifications as booking_notifications
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.services import booking_cancel
from petittalk.bookings.tests.factories import BookingFactory


@pytest.mark.django_db
def test_an_entry_names_who_did_what_to_which_object():
    staff = StaffFactory()
    booking = BookingFactory()

    with transaction.atomic():
        audit_log(actor=staff, action="booking.cancelled", obj=booking, data={"refunded": True})

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (staff, "booking.cancelled")
    assert (entry.object_type, entry.object_id) == ("bookings.booking", str(booking.pk))
    assert entry.data == {"refunded": True}


@pytest.mark.django_db
def test_a_cancellation_that_fails_after_logging_leaves_no_entry_and_no_change(monkeypatch):
    booking = BookingFactory()
    entries_seen = []

    def mail_server_down(**kwargs):
        entries_seen.append(AuditEntry.objects.filter(action="booking.cancelled").count())
        raise RuntimeError("mail queue down")

    # The notice is queued after the entry is written, in the same transaction.
    monkeypatch.setattr(booking_notifications, "notify_booking_cancelled", mail_server_down)
    with pytest.raises(RuntimeError):
        booking_cancel(booking=booking, by=StaffFactory())

    assert entries_seen == [1]  # written, then rolled back with the cancellation
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_logging_outside_a_transaction_is_refused_and_writes_nothing():
    with pytest.raises(AuditOutsideTransaction):
        audit_log(actor=None, action="order.paid", obj=BookingFactory())

    assert not AuditEntry.objects.exists()
