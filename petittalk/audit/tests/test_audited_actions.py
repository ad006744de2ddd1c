"""Every staff action and every money movement writes exactly one entry, with its actor."""

from __future__ import annotations

from decimal import Decimal

import pytest

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.audit.models import AuditEntry
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.services import booking_accept, booking_cancel, booking_decline
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.offers.models import OfferKind
from petittalk.offers.services import (
    OfferSettings,
    offer_create,
    offer_deactivate,
    offer_update,
)
from petittalk.offers.tests.factories import OfferFactory
from petittalk.orders import services as order_services
from petittalk.orders.models import Order, RefundStatus
from petittalk.payments import services as payment_services
from petittalk.payments.gateways.base import GatewayError
from petittalk.payments.gateways.dummy import DummyGateway
from petittalk.payments.tests.helpers import BILLING, held_lessons
from petittalk.teachers.services import teacher_invite, teacher_profile_update
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


def only_entry() -> AuditEntry:
    [entry] = AuditEntry.objects.all()
    return entry


def paid_order(*prices: str) -> Order:
    student = StudentFactory()
    held_lessons(student, *prices)
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    payment_services.order_payment_start(order=order)
    order_services.order_mark_paid(order=order)
    order.refresh_from_db()
    return order


# --- money ----------------------------------------------------------------------------------------


def test_a_paid_order_is_logged_once_by_the_system_with_its_amount():
    student = StudentFactory()
    held_lessons(student, "22.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)
    payment_services.order_payment_start(order=order)

    order_services.order_mark_paid(order=order)
    order_services.order_mark_paid(order=order)  # a replayed event changes nothing

    entry = only_entry()
    assert (entry.action, entry.actor) == ("order.paid", None)
    assert (entry.object_type, entry.object_id) == ("orders.order", str(order.pk))
    assert entry.data["amount"] == "22.00"


def test_a_failed_payment_is_logged_with_the_gateways_message():
    student = StudentFactory()
    held_lessons(student, "22.00")
    order = order_services.checkout_place_order(student=student, billing=BILLING)

    order_services.order_mark_failed(order=order, message="Your card was declined.")

    entry = only_entry()
    assert (entry.action, entry.object_id) == ("order.payment.failed", str(order.pk))
    assert entry.data == {"amount": "22.00", "message": "Your card was declined."}


def test_a_payment_for_a_replaced_order_is_logged_as_going_back_in_full():
    student = StudentFactory()
    held_lessons(student, "22.00")
    old = order_services.checkout_place_order(student=student, billing=BILLING)
    payment_services.order_payment_start(order=old)
    held_lessons(student, "30.00")
    order_services.checkout_place_order(student=student, billing=BILLING)  # replaces `old`
    AuditEntry.objects.all().delete()

    order_services.order_mark_paid(order=old)

    entry = only_entry()
    assert (entry.action, entry.object_id) == ("order.paid.replaced", str(old.pk))
    assert entry.data["amount"] == "22.00"


def test_a_staff_refund_is_logged_once_with_the_staff_member_and_the_amount():
    order = paid_order("22.00")
    staff = StaffFactory()
    AuditEntry.objects.all().delete()

    refund = payment_services.refund_line(
        line=order.lines.get(),
        amount=Decimal("5.50"),
        reason="teacher was late",
        idempotency_key="staff-1",
        created_by=staff,
    )

    entry = only_entry()
    assert (entry.action, entry.actor) == ("order.refund.manual", staff)
    assert (entry.object_type, entry.object_id) == ("orders.order", str(order.pk))
    assert entry.data["amount"] == "5.50"
    assert entry.data["reason"] == "teacher was late"
    assert entry.data["refund_id"] == refund.pk


def test_an_automatic_refund_is_logged_by_the_system():
    order = paid_order("22.00")
    AuditEntry.objects.all().delete()

    payment_services.refund_line_in_full(line_id=order.lines.get().pk, reason="lesson lost")

    entry = only_entry()
    assert (entry.action, entry.actor, entry.data["amount"]) == ("order.refund", None, "22.00")


def test_a_refund_the_gateway_refuses_is_logged_as_failed(monkeypatch):
    order = paid_order("22.00")
    staff = StaffFactory()
    AuditEntry.objects.all().delete()

    def refuse(self, **kwargs):
        raise GatewayError("card closed")

    monkeypatch.setattr(DummyGateway, "refund", refuse)
    refund = payment_services.refund_line(
        line=order.lines.get(),
        amount=Decimal("5.00"),
        reason="refunded by staff",
        idempotency_key="staff-2",
        created_by=staff,
    )

    assert refund.status == RefundStatus.FAILED
    entry = only_entry()
    assert (entry.action, entry.actor, entry.data["amount"]) == (
        "order.refund.failed",
        staff,
        "5.00",
    )


# --- bookings -------------------------------------------------------------------------------------


def test_staff_cancelling_a_lesson_is_logged_with_the_staff_member():
    booking = BookingFactory()
    staff = StaffFactory()

    booking_cancel(booking=booking, by=staff)

    entry = only_entry()
    assert (entry.action, entry.actor) == ("booking.cancelled", staff)
    assert (entry.object_type, entry.object_id) == ("bookings.booking", str(booking.pk))
    assert entry.data == {
        "status": {"before": "confirmed", "after": "cancelled"},
        "refunded": True,
    }


def test_a_student_cancelling_is_logged_with_the_student():
    booking = BookingFactory()

    booking_cancel(booking=booking, by=booking.student)

    assert (only_entry().action, only_entry().actor) == ("booking.cancelled", booking.student)


def test_the_teacher_accepting_a_request_is_logged():
    booking = BookingFactory(status=BookingStatus.REQUESTED, meeting_url="")

    booking_accept(booking=booking, by=booking.teacher.user)

    entry = only_entry()
    assert (entry.action, entry.actor) == ("booking.accepted", booking.teacher.user)
    assert entry.data == {"status": {"before": "requested", "after": "confirmed"}}


def test_the_teacher_declining_a_request_is_logged_with_the_reason():
    booking = BookingFactory(status=BookingStatus.REQUESTED, meeting_url="")

    booking_decline(booking=booking, by=booking.teacher.user, reason="Away that week")

    entry = only_entry()
    assert (entry.action, entry.actor) == ("booking.declined", booking.teacher.user)
    assert entry.data["reason"] == "Away that week"


# --- teachers -------------------------------------------------------------------------------------


def profile_values(profile, **changed) -> dict:
    values = {
        "display_name": profile.user.display_name,
        "headline": profile.headline,
        "bio": profile.bio,
        "languages": list(profile.languages.all()),
        "specialties": list(profile.specialties.all()),
        "price_30": profile.price_30,
        "price_60": profile.price_60,
    }
    return {**values, **changed}


def test_staff_publishing_a_teacher_is_logged_with_before_after_and_the_fields_changed():
    profile = TeacherProfileFactory(is_published=False)
    staff = StaffFactory()

    teacher_profile_update(
        profile=profile, actor=staff, **profile_values(profile, headline="New", is_published=True)
    )

    entry = only_entry()
    assert (entry.action, entry.actor) == ("teacher.published", staff)
    assert (entry.object_type, entry.object_id) == ("teachers.teacherprofile", str(profile.pk))
    assert entry.data == {
        "is_published": {"before": False, "after": True},
        "changed": ["headline", "is_published"],
    }


def test_staff_unpublishing_a_teacher_is_logged():
    profile = TeacherProfileFactory(is_published=True)

    teacher_profile_update(
        profile=profile, actor=StaffFactory(), **profile_values(profile, is_published=False)
    )

    assert only_entry().action == "teacher.unpublished"


def test_a_profile_edit_that_changes_prices_is_logged_with_the_field_names():
    profile = TeacherProfileFactory()

    teacher_profile_update(
        profile=profile, actor=StaffFactory(), **profile_values(profile, price_60=Decimal("25"))
    )

    entry = only_entry()
    assert entry.action == "teacher.changed"
    assert entry.data["changed"] == ["price_60"]


def test_saving_a_profile_unchanged_writes_no_entry():
    profile = TeacherProfileFactory()

    teacher_profile_update(profile=profile, actor=StaffFactory(), **profile_values(profile))

    assert not AuditEntry.objects.exists()


def test_inviting_a_teacher_is_logged_with_the_staff_member():
    staff = StaffFactory()

    teacher = teacher_invite(
        email="ines@example.com", display_name="Inès", base_url="http://x/", actor=staff
    )

    entry = only_entry()
    assert (entry.action, entry.actor) == ("teacher.invited", staff)
    assert entry.object_id == str(teacher.teacher_profile.pk)
    assert entry.data == {"email": "ines@example.com"}


# --- offers ---------------------------------------------------------------------------------------


def test_creating_an_offer_is_logged_with_its_settings():
    staff = StaffFactory()

    offer = offer_create(
        settings=OfferSettings(name="Spring", kind=OfferKind.FIXED, value=Decimal("5.00")),
        actor=staff,
    )

    entry = only_entry()
    assert (entry.action, entry.actor, entry.object_id) == ("offer.created", staff, str(offer.pk))
    assert entry.data["name"] == "Spring"
    assert entry.data["value"] == "5.00"


def test_changing_an_offer_is_logged_with_each_changed_setting_before_and_after():
    offer = OfferFactory(name="Spring", value=Decimal("10.00"))
    staff = StaffFactory()

    offer_update(
        offer=offer,
        settings=OfferSettings(name="Summer", kind=OfferKind.PERCENT, value=Decimal("15.00")),
        actor=staff,
    )

    entry = only_entry()
    assert (entry.action, entry.actor) == ("offer.changed", staff)
    assert entry.data == {
        "name": {"before": "Spring", "after": "Summer"},
        "value": {"before": "10.00", "after": "15.00"},
        "description": {"before": "Ten percent off every lesson.", "after": ""},
    }


def test_deactivating_an_offer_is_logged_once():
    offer = OfferFactory()
    staff = StaffFactory()

    offer_deactivate(offer=offer, actor=staff)
    offer_deactivate(offer=offer, actor=staff)  # already inactive: nothing happens

    entry = only_entry()
    assert (entry.action, entry.actor) == ("offer.deactivated", staff)
    assert entry.data == {"is_active": {"before": True, "after": False}}
