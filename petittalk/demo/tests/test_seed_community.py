"""The demo has testimonials in every state and contact messages for staff to look at."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from petittalk.community import models as community

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_testimonials_in_every_state_and_two_contact_messages_and_can_run_again(
    client, django_capture_on_commit_callbacks, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def snapshot():
        return (
            sorted(community.Testimonial.objects.values_list("author__email", "status", "reason")),
            sorted(community.ContactMessage.objects.values_list("subject", "handled_at")),
        )

    for run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
        if run == 0:
            first = snapshot()

    assert snapshot() == first  # the second run changed nothing
    testimonials, contacts = first
    assert {status for _, status, _ in testimonials} == set(community.TestimonialStatus.values)
    assert all(reason for _, status, reason in testimonials if status == "rejected")
    approved = community.Testimonial.objects.filter(status=community.TestimonialStatus.APPROVED)
    with_photo = [t for t in approved if hasattr(t.author, "teacher_profile")]
    assert with_photo and len(with_photo) < approved.count()  # with and without a photo
    assert len(contacts) == 2
    assert sorted(handled is None for _, handled in contacts) == [False, True]
    home = client.get("/").content.decode()
    assert "What our students say" in home and "testimonial-avatar avatar-placeholder" in home
