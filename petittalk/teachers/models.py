from __future__ import annotations

import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst

MIN_PRICE = Decimal("5.00")
MAX_PRICE = Decimal("500.00")
price_validators = [MinValueValidator(MIN_PRICE), MaxValueValidator(MAX_PRICE)]
DURATIONS = (30, 60)
BUFFERS = (0, 5, 10, 15, 30)
STEPS = (15, 30, 60)
FAVOURITES = ("favourite_word", "favourite_film", "favourite_book", "favourite_song")


def validate_plain_line(value: str) -> None:
    """A short label shown as is: one line, no markup, no invisible control characters."""
    if any(c in "<>" or unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in value):
        raise ValidationError("Use one line of plain text (no line breaks, < or >).")


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
    # The original product's "favourites" on the teacher page: small talk to start a first lesson.
    favourite_word = models.CharField(
        "favourite French word", max_length=40, blank=True, validators=[validate_plain_line]
    )
    favourite_film = models.CharField(
        "favourite film", max_length=120, blank=True, validators=[validate_plain_line]
    )
    favourite_book = models.CharField(
        "favourite book", max_length=120, blank=True, validators=[validate_plain_line]
    )
    favourite_song = models.CharField(
        "favourite song", max_length=120, blank=True, validators=[validate_plain_line]
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

    # Booking settings: how students may book this teacher.
    offers_30 = models.BooleanField("offer 30-minute lessons", default=True)
    offers_60 = models.BooleanField("offer 60-minute lessons", default=True)
    min_notice_hours = models.PositiveSmallIntegerField(
        "minimum notice (hours)", default=12, validators=[MaxValueValidator(14 * 24)]
    )
    horizon_days = models.PositiveSmallIntegerField(
        "how far ahead students can book (days)",
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        "break between lessons (minutes)", default=0, choices=[(m, f"{m} min") for m in BUFFERS]
    )
    slot_step_minutes = models.PositiveSmallIntegerField(
        "lessons can start every", default=30, choices=[(m, f"{m} min") for m in STEPS]
    )
    instant_booking = models.BooleanField(
        "instant booking", default=False, help_text="Paid lessons are confirmed without asking you."
    )
    # Kept by the reviews app's services (a layer above) so the directory can show, sort and
    # filter by rating without reading reviews: the average and count of visible reviews.
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("0"))
    rating_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["is_published", "price_60"], name="teacher_pub_price_idx"),
            models.Index(
                fields=["is_published", "-rating_average", "-rating_count"],
                name="teacher_pub_rating_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_30__gte=MIN_PRICE, price_60__gte=MIN_PRICE),
                name="teacher_prices_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(offers_30=True) | models.Q(offers_60=True),
                name="teacher_offers_a_duration",
            ),
        ]

    def __str__(self) -> str:
        return self.user.name

    def get_absolute_url(self) -> str:
        return reverse("teachers:detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def durations(self) -> list[int]:
        """Lesson lengths in minutes this teacher offers."""
        offered = {30: self.offers_30, 60: self.offers_60}
        return [minutes for minutes in DURATIONS if offered[minutes]]

    @property
    def favourites(self) -> list[tuple[str, str]]:
        """(label, value) of the favourites filled in, for the public page."""
        return [
            (capfirst(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in FAVOURITES
            if getattr(self, name)
        ]

    def price_for(self, duration_minutes: int) -> Decimal:
        return {30: self.price_30, 60: self.price_60}[duration_minutes]
