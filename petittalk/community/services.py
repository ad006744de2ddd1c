"""Writes: testimonials (submitted by users, moderated by staff) and contact messages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from petittalk.accounts.models import User
from petittalk.audit.services import audit_log
from petittalk.community.models import (
    REASON_MAX_LENGTH,
    TESTIMONIAL_MAX_LENGTH,
    TESTIMONIAL_MIN_LENGTH,
    ContactMessage,
    Testimonial,
    TestimonialStatus,
)
from petittalk.core.emails import queue_templated_email

NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
SUBJECT_MAX_LENGTH = 150
MESSAGE_MAX_LENGTH = 5000


class CommunityError(Exception):
    """A refused change; the message is shown to the person as it is."""


def clean_testimonial_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CommunityError("Write a few words about your lessons.")
    if len(text) < TESTIMONIAL_MIN_LENGTH:
        raise CommunityError(f"Write at least {TESTIMONIAL_MIN_LENGTH} characters.")
    if len(text) > TESTIMONIAL_MAX_LENGTH:
        raise CommunityError(f"Write at most {TESTIMONIAL_MAX_LENGTH} characters.")
    return text


@transaction.atomic
def testimonial_submit(*, author: User, text: str) -> Testimonial:
    """A new testimonial, waiting for staff. One may wait per author at a time."""
    text = clean_testimonial_text(text)
    # The author's row lock queues two submissions of one author; the partial unique
    # constraint refuses the second whatever happens.
    User.objects.select_for_update().get(pk=author.pk)
    if Testimonial.objects.filter(author=author, status=TestimonialStatus.PENDING).exists():
        raise CommunityError("You already have a testimonial waiting for review.")
    try:
        with transaction.atomic():
            return Testimonial.objects.create(author=author, text=text)
    except IntegrityError as exc:
        raise CommunityError("You already have a testimonial waiting for review.") from exc


def _locked_pending(testimonial: Testimonial) -> Testimonial:
    testimonial = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
    if testimonial.status != TestimonialStatus.PENDING:
        raise CommunityError("This testimonial is no longer waiting for review.")
    return testimonial


def _decide(testimonial: Testimonial, status: TestimonialStatus, actor: User, reason: str) -> None:
    testimonial.status = status
    testimonial.reason = reason
    testimonial.decided_at = timezone.now()
    testimonial.decided_by = actor
    testimonial.save(update_fields=["status", "reason", "decided_at", "decided_by"])


@transaction.atomic
def testimonial_approve(*, testimonial: Testimonial, actor: User) -> Testimonial:
    """Publish it on the home page (the save moves the TESTIMONIALS version)."""
    testimonial = _locked_pending(testimonial)
    _decide(testimonial, TestimonialStatus.APPROVED, actor, "")
    audit_log(
        actor=actor,
        action="testimonial.approved",
        obj=testimonial,
        data={"status": {"before": TestimonialStatus.PENDING, "after": testimonial.status}},
    )
    return testimonial


@transaction.atomic
def testimonial_reject(*, testimonial: Testimonial, reason: str, actor: User) -> Testimonial:
    """Refuse it, with a reason its author sees on their testimonials page."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise CommunityError("Give the author a reason.")
    if len(reason) > REASON_MAX_LENGTH:
        raise CommunityError(f"Keep the reason under {REASON_MAX_LENGTH} characters.")
    testimonial = _locked_pending(testimonial)
    _decide(testimonial, TestimonialStatus.REJECTED, actor, reason)
    audit_log(
        actor=actor,
        action="testimonial.rejected",
        obj=testimonial,
        data={
            "status": {"before": TestimonialStatus.PENDING, "after": testimonial.status},
            "reason": reason,
        },
    )
    return testimonial


@transaction.atomic
def testimonial_delete(*, testimonial: Testimonial, actor: User) -> None:
    """Remove it for good, whatever its state; the audit entry keeps what it said."""
    testimonial = Testimonial.objects.select_for_update().get(pk=testimonial.pk)
    audit_log(
        actor=actor,
        action="testimonial.deleted",
        obj=testimonial,
        data={
            "status": testimonial.status,
            "author": testimonial.author.email,
            "text": testimonial.text,
        },
    )
    testimonial.delete()


def _clean_contact(name: str, email: str, subject: str, message: str) -> tuple[str, ...]:
    name = " ".join((name or "").split())
    email = (email or "").strip()
    subject = " ".join((subject or "").split())
    message = (message or "").strip()
    if not name:
        raise CommunityError("Tell us your name.")
    if len(name) > NAME_MAX_LENGTH:
        raise CommunityError(f"Keep your name under {NAME_MAX_LENGTH} characters.")
    if not email:
        raise CommunityError("Enter your email address, so we can answer.")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise CommunityError("Enter a valid email address.") from exc
    if len(email) > EMAIL_MAX_LENGTH:
        raise CommunityError("That email address is too long.")
    if not subject:
        raise CommunityError("Write a subject.")
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise CommunityError(f"Keep the subject under {SUBJECT_MAX_LENGTH} characters.")
    if not message:
        raise CommunityError("Write your message.")
    if len(message) > MESSAGE_MAX_LENGTH:
        raise CommunityError(f"Keep your message under {MESSAGE_MAX_LENGTH} characters.")
    return name, email, subject, message


@transaction.atomic
def contact_message_submit(*, name: str, email: str, subject: str, message: str) -> ContactMessage:
    """Store the message, mail it to support (answering goes to the sender) and acknowledge it."""
    name, email, subject, message = _clean_contact(name, email, subject, message)
    contact = ContactMessage.objects.create(
        name=name, email=email, subject=subject, message=message
    )
    queue_templated_email(
        template="community/emails/contact_support",
        to=[settings.SUPPORT_EMAIL],
        context={"contact": contact},
        reply_to=[email],
    )
    queue_templated_email(
        template="community/emails/contact_ack", to=[email], context={"contact": contact}
    )
    return contact


@transaction.atomic
def contact_message_mark_handled(*, contact: ContactMessage, actor: User) -> ContactMessage:
    contact = ContactMessage.objects.select_for_update().get(pk=contact.pk)
    if contact.handled_at is not None:
        raise CommunityError("This message is already marked handled.")
    contact.handled_at = timezone.now()
    contact.handled_by = actor
    contact.save(update_fields=["handled_at", "handled_by"])
    audit_log(actor=actor, action="contact.handled", obj=contact, data={"subject": contact.subject})
    return contact
