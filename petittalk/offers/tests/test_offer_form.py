"""The offer form parses what staff type: it refuses nonsense field by field and keeps only
what the chosen kind of offer uses. The staff pages around it: staff/tests/test_staff_offers.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from petittalk.offers.forms import OfferForm

# The form checks a code is not taken and lists the teachers: it reads the database.
pytestmark = pytest.mark.django_db


def form_data(**changes) -> dict:
    """A valid "20% off" submission, as the browser sends it."""
    data = {
        "name": "Spring sale",
        "description": "20% off every lesson until the end of April.",
        "kind": "percent",
        "value": "20",
        "buy_quantity": "",
        "free_quantity": "",
        "code": "spring-26",
        "valid_from": "2026-04-01T00:00",
        "valid_until": "2026-05-01T00:00",
        "min_lessons": "1",
        "max_uses": "",
        "max_uses_per_student": "1",
        "is_featured": "on",
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_free_first_lesson_and_a_buy_5_get_1_are_accepted():
    free_trial = OfferForm(form_data(kind="trial_price", value="0", code=""))
    pack = OfferForm(form_data(kind="buy_n_get_m", value="", buy_quantity="5", free_quantity="1"))
    assert free_trial.is_valid(), free_trial.errors
    assert pack.is_valid(), pack.errors
    assert pack.cleaned_data["value"] == Decimal("0.00")
    assert free_trial.cleaned_data["buy_quantity"] is None


def test_quantities_of_another_kind_are_not_kept():
    form = OfferForm(form_data(buy_quantity="3", free_quantity="1"))
    assert form.is_valid(), form.errors
    settings = form.changes()["settings"]
    assert settings.buy_quantity is None and settings.free_quantity is None


def test_the_form_shows_every_broken_rule_on_its_own_field_at_once():
    form = OfferForm(
        form_data(value="101", min_lessons="0", max_uses="0", code="spring-26", kind="percent")
    )

    assert not form.is_valid()
    assert set(form.errors) == {"value", "min_lessons", "max_uses"}


def test_an_unreadable_kind_is_the_only_error_shown_about_the_deal():
    form = OfferForm(form_data(kind="half_price", value=""))

    assert not form.is_valid()
    assert set(form.errors) == {"kind"}
