"""Writes to teacher profiles. Teachers change their own; staff change anyone's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.text import slugify

from petittalk.accounts import services as account_services
from petittalk.accounts.models import User
from petittalk.audit.services import audit_log
from petittalk.core.files import delete_files_on_commit
from petittalk.core.uploads import CleanImage, UploadRejected, normalise_video_link
from petittalk.teachers.models import Language, Specialty, TeacherProfile


class TeacherProfileError(Exception):
    """A profile value that breaks a profile rule; the message is for the user.

    `field` names the profile form's field it is about, so the page shows it there.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


PRICES_IN_ORDER = "A 60-minute lesson cannot cost less than a 30-minute one."


def validate_teacher_prices(*, price_30: Decimal, price_60: Decimal) -> None:
    """Raise TeacherProfileError unless each price is within the allowed range, in cents, and an
    hour costs at least as much as half an hour. The profile form asks here too."""
    for name, price in (("price_30", price_30), ("price_60", price_60)):
        _check_field(TeacherProfile, name, price)
    if price_60 < price_30:
        raise TeacherProfileError(PRICES_IN_ORDER, field="price_60")


@transaction.atomic
def teacher_profile_update(
    *,
    profile: TeacherProfile,
    display_name: str,
    headline: str,
    bio: str,
    languages: list[Language],
    specialties: list[Specialty],
    price_30: Decimal,
    price_60: Decimal,
    video_url: str = "",
    photo: CleanImage | None = None,
    clear_photo: bool = False,
    video: File | None = None,
    clear_video: bool = False,
    slug: str | None = None,
    is_published: bool | None = None,
    is_featured: bool | None = None,
    favourite_word: str | None = None,
    favourite_film: str | None = None,
    favourite_book: str | None = None,
    favourite_song: str | None = None,
    actor: User | None = None,
) -> TeacherProfile:
    """Save what a teacher (or staff) edited; a favourite left as None keeps its value.

    Raises TeacherProfileError, writing nothing, if a value breaks a profile rule. A save that
    changes something is logged (`actor` did it): the names of the fields changed, and whether
    the teacher was published before and after.
    """
    display_name, headline, bio = display_name.strip(), headline.strip(), bio.strip()
    if not display_name:
        raise TeacherProfileError("Enter the name shown to students.", field="display_name")
    _check_field(User, "display_name", display_name)
    _check_field(TeacherProfile, "headline", headline)
    bio_limit = TeacherProfile._meta.get_field("bio").max_length
    if len(bio) > bio_limit:
        # A text column's length is only checked by forms, so it is checked here.
        raise TeacherProfileError(f"Keep the bio to at most {bio_limit} characters.", field="bio")
    validate_teacher_prices(price_30=price_30, price_60=price_60)
    video_url = _checked_video_link(video_url)
    if slug is not None:
        _check_slug(slug, profile)
    favourites = {
        "favourite_word": favourite_word,
        "favourite_film": favourite_film,
        "favourite_book": favourite_book,
        "favourite_song": favourite_song,
    }
    favourites = {
        name: _checked_favourite(name, value)
        for name, value in favourites.items()
        if value is not None
    }
    profile = TeacherProfile.objects.select_related("user").select_for_update().get(pk=profile.pk)
    before = _audited_values(profile)
    replaced = []
    profile.user.display_name = display_name
    profile.user.save(update_fields=["display_name"])
    profile.headline = headline
    profile.bio = bio
    profile.price_30 = price_30
    profile.price_60 = price_60
    profile.intro_video_url = video_url
    if photo is not None or clear_photo:
        replaced += [f for f in (profile.photo, profile.photo_thumbnail) if f]
        profile.photo = photo.image if photo else ""
        profile.photo_thumbnail = photo.thumbnail if photo else ""
    if video is not None or clear_video:
        replaced += [profile.intro_video] if profile.intro_video else []
        profile.intro_video = video if video else ""
    if slug is not None:
        profile.slug = slug
    if is_published is not None:
        profile.is_published = is_published
    if is_featured is not None:
        profile.is_featured = is_featured
    for name, value in favourites.items():
        setattr(profile, name, value)
    profile.save()
    profile.languages.set(languages)
    profile.specialties.set(specialties)
    _audit_profile_change(actor, profile, before)
    delete_files_on_commit(replaced)
    return profile


def _audited_values(profile: TeacherProfile) -> dict[str, Any]:
    values = {name: getattr(profile, name) for name in AUDITED_PROFILE_FIELDS}
    values.update(
        display_name=profile.user.display_name,
        photo=profile.photo.name or "",
        intro_video=profile.intro_video.name or "",
        languages=sorted(profile.languages.values_list("pk", flat=True)),
        specialties=sorted(profile.specialties.values_list("pk", flat=True)),
    )
    return values


AUDITED_PROFILE_FIELDS = (
    "headline",
    "bio",
    "price_30",
    "price_60",
    "intro_video_url",
    "slug",
    "is_published",
    "is_featured",
    "favourite_word",
    "favourite_film",
    "favourite_book",
    "favourite_song",
)


def _audit_profile_change(
    actor: User | None, profile: TeacherProfile, before: dict[str, Any]
) -> None:
    after = _audited_values(profile)
    changed = sorted(name for name in after if after[name] != before[name])
    if not changed:
        return
    if "is_published" not in changed:
        audit_log(actor=actor, action="teacher.changed", obj=profile, data={"changed": changed})
        return
    audit_log(
        actor=actor,
        action="teacher.published" if profile.is_published else "teacher.unpublished",
        obj=profile,
        data={
            "is_published": {"before": before["is_published"], "after": profile.is_published},
            "changed": changed,
        },
    )


def _checked_favourite(name: str, value: str) -> str:
    value = value.strip()
    _check_field(TeacherProfile, name, value)
    return value


def unique_teacher_slug(name: str) -> str:
    base = slugify(name)[:60] or "teacher"
    slug, n = base, 2
    while TeacherProfile.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def teacher_invite(
    *, email: str, display_name: str, base_url: str, actor: User | None = None
) -> User:
    """Create a teacher (no password yet, hidden profile) and email them a set-password link.

    Lives here, not in `accounts`, because the profile is this app's model and `accounts` sits
    below `teachers` in the layers.
    """
    try:
        with transaction.atomic():
            user = account_services.teacher_account_create(email=email, display_name=display_name)
            profile = TeacherProfile.objects.create(user=user, slug=unique_teacher_slug(user.name))
            audit_log(
                actor=actor, action="teacher.invited", obj=profile, data={"email": user.email}
            )
            account_services.teacher_invite_email_queue(user, base_url=base_url)
    except IntegrityError as exc:  # two staff inviting the same address at the same moment
        raise account_services.AccountError(
            "An account with this email address already exists."
        ) from exc
    return user


def _check_field(model: type[Model], name: str, value: object) -> None:
    # The model field's own limits (length, range, plain text), so forms and callers share
    # one rule, in Django's words.
    try:
        model._meta.get_field(name).run_validators(value)
    except ValidationError as exc:
        raise TeacherProfileError(" ".join(exc.messages), field=name) from exc


def _checked_video_link(url: str) -> str:
    """The link's privacy-friendly embed form (blank stays blank)."""
    if not url.strip():
        return ""
    try:
        return normalise_video_link(url)
    except UploadRejected as exc:
        raise TeacherProfileError(str(exc), field="intro_video_url") from exc


def _check_slug(slug: str, profile: TeacherProfile) -> None:
    if not slug:
        raise TeacherProfileError("Enter the address of the teacher's page.", field="slug")
    _check_field(TeacherProfile, "slug", slug)
    if TeacherProfile.objects.filter(slug=slug).exclude(pk=profile.pk).exists():
        raise TeacherProfileError("Another teacher already uses this address.", field="slug")
