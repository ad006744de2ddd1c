from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from petittalk.accounts import services
from petittalk.core.emails import queue_email


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
        message = self.render_mail(template_prefix, email, {"email": email, **context})
        html = next((body for body, kind in message.alternatives if kind == "text/html"), "")
        queue_email(
            subject=message.subject,
            body=message.body,
            html=html,
            to=list(message.to),
            from_email=message.from_email,
        )
