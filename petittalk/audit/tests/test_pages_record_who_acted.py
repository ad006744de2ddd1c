"""The pages pass the signed-in person to the services, so each entry names who acted."""

from __future__ import annotations

import pytest

from petittalk.accounts.tests.factories import StaffFactory
from petittalk.audit.models import AuditEntry
from petittalk.offers.tests.factories import OfferFactory
from petittalk.teachers.models import Language, Specialty
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


def profile_form(**overrides) -> dict:
    return {
        "display_name": "Claire D.",
        "headline": "Grammar without tears",
        "bio": "Je suis prof depuis dix ans.",
        "languages": [Language.objects.get(code="en").pk],
        "specialties": [Specialty.objects.get(slug="grammar").pk],
        "price_30": "15.00",
        "price_60": "27.50",
        "intro_video_url": "",
        **overrides,
    }


OFFER_FORM = {
    "name": "Spring",
    "kind": "percent",
    "value": "20",
    "min_lessons": "1",
    "is_active": "on",
}


def test_staff_publishing_a_teacher_on_the_edit_page_is_logged_with_that_staff_member(client):
    teacher = TeacherProfileFactory(is_published=False)
    staff = StaffFactory()
    client.force_login(staff)

    client.post(
        f"/staff/teachers/{teacher.pk}/edit/",
        profile_form(slug=teacher.slug, is_published="on"),
    )

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor) == ("teacher.published", staff)


def test_a_teacher_editing_their_own_profile_is_logged_with_the_teacher(client):
    teacher = TeacherProfileFactory()
    client.force_login(teacher.user)

    client.post("/dashboard/teacher/profile/", profile_form())

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor) == ("teacher.changed", teacher.user)


def test_staff_inviting_a_teacher_is_logged_with_that_staff_member(client):
    staff = StaffFactory()
    client.force_login(staff)

    client.post("/staff/teachers/invite/", {"display_name": "Inès", "email": "ines@example.com"})

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor) == ("teacher.invited", staff)


def test_staff_creating_changing_and_deactivating_an_offer_are_logged_with_them(client):
    staff = StaffFactory()
    client.force_login(staff)

    client.post("/staff/offers/new/", OFFER_FORM)
    offer = OfferFactory()
    client.post(f"/staff/offers/{offer.pk}/edit/", {**OFFER_FORM, "name": "Summer"})
    client.post(f"/staff/offers/{offer.pk}/deactivate/")

    assert list(AuditEntry.objects.order_by("pk").values_list("action", "actor")) == [
        ("offer.created", staff.pk),
        ("offer.changed", staff.pk),
        ("offer.deactivated", staff.pk),
    ]
