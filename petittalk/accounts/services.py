"""Writes about people: registering students, inviting teachers, editing profiles."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from petittalk.accounts.models import Role, StudentProfile, User
from petittalk.core.emails import queue_templated_email
from petittalk.core.files import delete_files_on_commit
from petittalk.core.uploads import CleanImage


class AccountError(Exception):
    """A request about an account that cannot be carried out; the message is for the user."""


class TeacherInviteTokenGenerator(PasswordResetTokenGenerator):
    """One-time: the token hashes the password, so it dies as soon as a password is set.

    It lives as long as a password-reset link (settings.PASSWORD_RESET_TIMEOUT, 3 days by default).
    """

    key_salt = "petittalk.accounts.TeacherInviteTokenGenerator"


teacher_invite_tokens = TeacherInviteTokenGenerator()


@transaction.atomic
def student_register(*, user: User, display_name: str, timezone_name: str) -> User:
    """Finish a sign-up: every self-registered account is a student with a profile."""
    user.role = Role.STUDENT
    user.display_name = display_name.strip()
    user.timezone = timezone_name
    user.save()
    StudentProfile.objects.get_or_create(user=user)
    return user


def teacher_invite_link(user: User, *, base_url: str) -> str:
    path = reverse(
        "accounts:invite_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": teacher_invite_tokens.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


@transaction.atomic
def teacher_account_create(*, email: str, display_name: str) -> User:
    """The account of an invited teacher, with no usable password until the invitation is accepted.

    Runs inside `teachers.services.teacher_invite`'s transaction, which adds the teacher's profile
    and queues the invitation (`teacher_invite_email_queue`) with it.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError("An account with this email address already exists.")
    user = User(
        email=email,
        display_name=display_name.strip(),
        role=Role.TEACHER,
        timezone="Europe/Paris",
    )
    user.set_unusable_password()
    user.save()
    return user


def teacher_invite_resend(*, teacher: User, base_url: str) -> None:
    if teacher.role != Role.TEACHER:
        raise AccountError("Only teachers are invited.")
    if teacher.has_usable_password():
        raise AccountError("This teacher has already accepted the invitation.")
    with transaction.atomic():
        teacher_invite_email_queue(teacher, base_url=base_url)


def teacher_invite_email_queue(user: User, *, base_url: str) -> None:
    """Send the set-password link once the caller's transaction commits."""
    queue_templated_email(
        template="accounts/email/teacher_invite",
        to=[user.email],
        context={
            "user": user,
            "link": teacher_invite_link(user, base_url=base_url),
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        },
    )


@transaction.atomic
def teacher_invite_accept(*, user: User, password: str) -> User:
    """Set the teacher's first password; the email is proven by the link, so mark it verified."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.has_usable_password():
        raise AccountError("This invitation has already been used.")
    locked.set_password(password)
    locked.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=locked,
        email__iexact=locked.email,
        defaults={"email": locked.email, "verified": True, "primary": True},
    )
    return locked


@transaction.atomic
def account_settings_update(*, user: User, display_name: str, timezone_name: str) -> User:
    user.display_name = display_name.strip()
    user.timezone = timezone_name
    user.save(update_fields=["display_name", "timezone"])
    return user


@transaction.atomic
def student_profile_update(
    *,
    profile: StudentProfile,
    level: str,
    learning_goals: str,
    photo: CleanImage | None = None,
    clear_photo: bool = False,
) -> StudentProfile:
    """Save the student's profile, creating it for an account that had none yet (see selectors)."""
    profile, _ = StudentProfile.objects.select_for_update().get_or_create(user_id=profile.user_id)
    profile.level = level
    profile.learning_goals = learning_goals.strip()
    old_files = []
    if photo is not None or clear_photo:
        old_files = [f for f in (profile.photo, profile.photo_thumbnail) if f]
        profile.photo = photo.image if photo else ""
        profile.photo_thumbnail = photo.thumbnail if photo else ""
    profile.save()
    delete_files_on_commit(old_files)
    return profile
