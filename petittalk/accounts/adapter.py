from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from petittalk.accounts import services
from petittalk.core.emails import queue_email


@dataclass(frozen=True)
class PublicSite:
    """What allauth's email templates read from a `Site` (`current_site.name`, `.domain`)."""

    name: str
    domain: str


def public_site() -> PublicSite:
    # From settings, like every other email: django.contrib.sites is not installed, and the
    # request's Host header is neither a name nor necessarily the public address.
    return PublicSite(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def on_public_site(url: str) -> str:
    """The same link on SITE_URL, where the emailed reader will open it."""
    parts = urlsplit(url)
    return settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up always makes a student; allauth's mails go out through the background worker."""

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        if commit:
            return services.student_register(
                user=user, display_name=data["display_name"], timezone_name=data["timezone"]
            )
        return user

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation) -> str:
        return on_public_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_public_site(super().get_reset_password_from_key_url(key))

    def send_account_already_exists_mail(self, email: str) -> None:
        # Sent instead of an error on the sign-up page, which would tell anyone the address has
        # an account. allauth's own mail only offers a password reset: the owner may just log in.
        self.send_mail(
            "account/email/account_already_exists",
            email,
            {
                "login_url": settings.SITE_URL + reverse("account_login"),
                "password_reset_url": settings.SITE_URL + reverse("account_reset_password"),
            },
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {"email": email, **context, "current_site": public_site()}
        message = self.render_mail(template_prefix, email, context)
        html = next((body for body, kind in message.alternatives if kind == "text/html"), "")
        queue_email(
            subject=message.subject,
            body=message.body,
            html=html,
            to=list(message.to),
            from_email=message.from_email,
        )
