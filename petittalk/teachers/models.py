from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

MIN_PRICE = Decimal("5.00")
MAX_PRICE = Decimal("500.00")
price_validators = [MinValueValidator(MIN_PRICE), MaxValueValidator(MAX_PRICE)]


class Language(models.Model):
    """A language a teacher speaks (French, English, Spanish...). Seeded by a migration."""

    code = models.SlugField(max_length=12, unique=True)
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    """What a teacher is good at: conversation, grammar, exam prep... Seeded by a migration."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "specialties"

    def __str__(self) -> str:
        return self.name


def teacher_media_path(instance: TeacherProfile, filename: str) -> str:
    return f"teachers/{filename}"


class TeacherProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teacher_profile"
    )
    slug = models.SlugField(max_length=80, unique=True)
    headline = models.CharField(max_length=120, blank=True)
    bio = models.TextField(blank=True, max_length=5000)
    photo = models.ImageField(upload_to=teacher_media_path, blank=True)
    photo_thumbnail = models.ImageField(upload_to=teacher_media_path, blank=True)
    intro_video = models.FileField(upload_to=teacher_media_path, blank=True)
    intro_video_url = models.URLField(
        "intro video link", blank=True, help_text="A YouTube or Vimeo link."
    )
    languages = models.ManyToManyField(Language, blank=True, related_name="teachers")
    specialties = models.ManyToManyField(Specialty, blank=True, related_name="teachers")
    price_30 = models.DecimalField(
        "price for 30 minutes",
        max_digits=6,
        decimal_places=2,
        validators=price_validators,
        default=Decimal("12.00"),
    )
    price_60 = models.DecimalField(
        "price for 60 minutes",
        max_digits=6,
        decimal_places=2,
        validators=price_validators,
        default=Decimal("22.00"),
    )
    is_published = models.BooleanField(
        "published", default=False, help_text="Shown in the directory and on the site."
    )
    is_featured = models.BooleanField("featured on the home page", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["is_published", "price_60"], name="teacher_pub_price_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_30__gte=MIN_PRICE, price_60__gte=MIN_PRICE),
                name="teacher_prices_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.user.name

    def get_absolute_url(self) -> str:
        return reverse("teachers:detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return self.user.name
