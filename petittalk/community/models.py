"""Testimonials (staff approve them before they show) and messages sent through the contact form."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

TESTIMONIAL_MIN_LENGTH = 20
TESTIMONIAL_MAX_LENGTH = 600
REASON_MAX_LENGTH = 300


class TestimonialStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Published"
    REJECTED = "rejected", "Rejected"


class Testimonial(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="testimonials"
    )
    text = models.TextField(max_length=TESTIMONIAL_MAX_LENGTH)
    status = models.CharField(
        max_length=8, choices=TestimonialStatus.choices, default=TestimonialStatus.PENDING
    )
    # Shown to the author when staff reject it.
    reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "decided_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author"],
                condition=Q(status=TestimonialStatus.PENDING),
                name="community_one_pending_testimonial_per_author",
            )
        ]

    Status = TestimonialStatus

    def __str__(self) -> str:
        return f"{self.author} · {self.text[:40]}"


class ContactMessage(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=150)
    message = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["handled_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.email}: {self.subject}"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None
