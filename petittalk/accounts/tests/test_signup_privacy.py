"""Sign-up never tells a stranger whether an address already has an account."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from petittalk.accounts.models import User
from petittalk.accounts.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

TAKEN = "nora@example.com"


def sign_up(email: str):
    data = {
        "email": email,
        "display_name": "Someone",
        "timezone": "Europe/Paris",
        "password1": "une-phrase-secrete-42",
        "password2": "une-phrase-secrete-42",
    }
    return Client().post(reverse("account_signup"), data, follow=True)


def page(response, address: str) -> str:
    """The page as a visitor sees it, less the address they typed and the per-visit token."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.text).replace(address, "ADDRESS")


def test_signing_up_with_a_taken_address_looks_exactly_like_signing_up_with_a_new_one():
    StudentFactory(email=TAKEN)

    new = sign_up("someone.new@example.com")
    taken = sign_up(TAKEN)

    assert taken.redirect_chain == new.redirect_chain
    assert taken.status_code == new.status_code == 200
    assert "already" not in taken.text
    assert page(taken, TAKEN) == page(new, "someone.new@example.com")


def test_signing_up_with_a_taken_address_creates_nothing_and_tells_its_owner(
    mailoutbox, django_capture_on_commit_callbacks
):
    owner = StudentFactory(email=TAKEN)

    with django_capture_on_commit_callbacks(execute=True):
        sign_up(TAKEN)

    assert list(User.objects.values_list("pk", flat=True)) == [owner.pk]
    assert [m.to for m in mailoutbox] == [[TAKEN]]
    body = mailoutbox[0].body
    assert "just tried to sign up" in body and "You already have an account" in body
    assert "/accounts/login/" in body and "/accounts/password/reset/" in body
