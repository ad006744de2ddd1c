"""Reads: the home page's testimonials, an author's own, the staff queues; the offers page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from petittalk.accounts.models import User
from petittalk.community.models import ContactMessage, Testimonial, TestimonialStatus
from petittalk.teachers.models import TeacherProfile

HOME_TESTIMONIALS = 6


@dataclass(frozen=True)
class TestimonialCard:
    text: str
    name: str
    photo_url: str  # a teacher's thumbnail; empty for everyone else (an initial is shown)
    is_teacher: bool


def home_testimonials(limit: int = HOME_TESTIMONIALS) -> list[TestimonialCard]:
    """The latest approved testimonials, with their authors' names and, for teachers, their
    photo. One query."""
    rows = (
        Testimonial.objects.filter(status=TestimonialStatus.APPROVED)
        .select_related("author")
        .annotate(photo=F("author__teacher_profile__photo_thumbnail"))
        .annotate(teacher_id=F("author__teacher_profile__pk"))
        .order_by("-decided_at", "-pk")[:limit]
    )
    storage = TeacherProfile._meta.get_field("photo_thumbnail").storage
    return [
        TestimonialCard(
            text=row.text,
            name=row.author.name,
            photo_url=storage.url(row.photo) if row.photo else "",
            is_teacher=row.teacher_id is not None,
        )
        for row in rows
    ]


def testimonials_of(user: User) -> QuerySet[Testimonial]:
    """The user's own testimonials, newest first: nobody sees another's."""
    return Testimonial.objects.filter(author=user).order_by("-created_at", "-pk")


def has_pending_testimonial(user: User) -> bool:
    return Testimonial.objects.filter(author=user, status=TestimonialStatus.PENDING).exists()


def testimonials_for_staff(status: str = "") -> QuerySet[Testimonial]:
    """The moderation queue (oldest waiting first) or, filtered by another status, newest first."""
    testimonials = Testimonial.objects.select_related("author", "decided_by")
    if status and status != TestimonialStatus.PENDING:
        return testimonials.filter(status=status).order_by("-decided_at", "-pk")
    return testimonials.filter(status=TestimonialStatus.PENDING).order_by("created_at", "pk")


def testimonial_counts() -> dict[str, int]:
    """How many testimonials are in each state. One query."""
    return Testimonial.objects.aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in TestimonialStatus}
    )


def testimonial_for_staff(pk: int) -> Testimonial:
    return get_object_or_404(Testimonial, pk=pk)


def contact_messages_for_staff(*, handled: bool) -> QuerySet[ContactMessage]:
    """Messages to answer (oldest first), or the handled ones (newest first)."""
    if handled:
        return ContactMessage.objects.filter(handled_at__isnull=False).order_by(
            "-handled_at", "-pk"
        )
    return ContactMessage.objects.filter(handled_at__isnull=True).order_by("created_at", "pk")


def contact_message_counts() -> dict[str, int]:
    return ContactMessage.objects.aggregate(
        open=Count("pk", filter=Q(handled_at__isnull=True)),
        handled=Count("pk", filter=Q(handled_at__isnull=False)),
    )


def contact_message_for_staff(pk: int) -> ContactMessage:
    return get_object_or_404(ContactMessage.objects.select_related("handled_by"), pk=pk)


def pending_testimonial_count() -> int:
    """Testimonials waiting for a staff decision. One query."""
    return Testimonial.objects.filter(status=TestimonialStatus.PENDING).count()


def open_contact_message_count() -> int:
    """Contact messages nobody has marked handled yet. One query."""
    return ContactMessage.objects.filter(handled_at__isnull=True).count()
