"""allauth's emails name the site from settings (SITE_NAME, SITE_URL), not from an empty Site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from petittalk.accounts.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = "https://petittalk.example.org"


def assert_names_the_site(message) -> None:
    assert message.body.startswith("Hello from Petit Talk!")
    assert "Thank you for using Petit Talk!\npetittalk.example.org" in message.body
    assert "from !" not in message.body and "using !" not in message.body
    assert "example.com" not in message.body.replace(message.to[0], "")


def test_the_sign_up_confirmation_names_petit_talk_and_its_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "nora@example.com",
                "display_name": "Nora",
                "timezone": "Europe/Paris",
                "password1": "une-phrase-secrete-42",
                "password2": "une-phrase-secrete-42",
            },
        )

    (message,) = mailoutbox
    assert_names_the_site(message)
    assert "register an account on petittalk.example.org" in message.body
    assert "https://petittalk.example.org/accounts/confirm-email/" in message.body


def test_the_password_reset_email_names_petit_talk_and_its_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    student = StudentFactory(email="sam@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": student.email})

    (message,) = mailoutbox
    assert_names_the_site(message)
    assert message.subject.startswith("[Petit Talk] ")
    assert "https://petittalk.example.org/accounts/password/reset/key/" in message.body
