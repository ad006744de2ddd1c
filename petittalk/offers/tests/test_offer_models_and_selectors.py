"""The database refuses impossible offers; the selectors feed the engine and the home page."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.offers import selectors
from petittalk.offers.models import OfferKind
from petittalk.offers.pricing import (
    CODE_APPLIED,
    CODE_EXPIRED,
    PricingContext,
    PricingLine,
    price_basket,
)
from petittalk.offers.services import OfferError, OfferSettings, offer_create
from petittalk.offers.tests.factories import OfferFactory, OfferRedemptionFactory
from petittalk.teachers.tests.factories import TeacherProfileFactory

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


# -- database constraints ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"kind": OfferKind.PERCENT, "value": Decimal("150")},
        {"kind": OfferKind.FIXED, "value": Decimal("-1")},
        {"valid_from": NOW, "valid_until": NOW},
        {"valid_from": NOW, "valid_until": NOW - HOUR},
        {"kind": OfferKind.BUY_N_GET_M, "buy_quantity": 2, "free_quantity": None},
        {"kind": OfferKind.BUY_N_GET_M, "buy_quantity": 0, "free_quantity": 1},
        {"min_lessons": 0},
        {"code": "lower"},
        {"kind": "bogus"},
    ],
)
def test_the_database_refuses_impossible_offers(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(**fields)


@pytest.mark.django_db
def test_codes_are_unique_whatever_their_case_and_blank_codes_are_not_codes():
    OfferFactory(code="SPRING")
    OfferFactory(code="")
    OfferFactory(code="")  # many automatic offers
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferFactory(code="SPRING")


@pytest.mark.django_db
def test_offer_create_turns_a_taken_code_into_an_offer_error():
    OfferFactory(code="SPRING")
    with pytest.raises(OfferError, match="already uses this code"):
        offer_create(
            settings=OfferSettings(
                name="Copy", kind=OfferKind.PERCENT, value=Decimal("5"), code="spring"
            )
        )


@pytest.mark.parametrize(
    ("fields", "deal"),
    [
        ({"kind": OfferKind.PERCENT, "value": Decimal("20.00")}, "20% off"),
        ({"kind": OfferKind.PERCENT, "value": Decimal("12.50")}, "12.5% off"),
        ({"kind": OfferKind.FIXED, "value": Decimal("5.00")}, "€5 off"),
        ({"kind": OfferKind.FIXED, "value": Decimal("2.50")}, "€2.50 off"),
        (
            {"kind": OfferKind.BUY_N_GET_M, "buy_quantity": 5, "free_quantity": 1},
            "Buy 5, get 1 free",
        ),
        ({"kind": OfferKind.TRIAL_PRICE, "value": Decimal("9")}, "First lesson €9.00"),
        ({"kind": OfferKind.TRIAL_PRICE, "value": Decimal("0")}, "First lesson free"),
    ],
)
def test_the_deal_in_words(fields, deal):
    assert OfferFactory.build(**fields).deal == deal


# -- candidate offers ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_candidate_offers_are_active_automatic_offers_in_their_window_plus_the_typed_code():
    automatic = OfferFactory(name="auto", valid_from=NOW - HOUR, valid_until=NOW + HOUR)
    OfferFactory(name="over", valid_until=NOW)
    OfferFactory(name="later", valid_from=NOW + HOUR)
    OfferFactory(name="off", is_active=False)
    expired_code = OfferFactory(name="code", code="OLD", valid_until=NOW - HOUR)
    OfferFactory(name="other code", code="OTHER")

    rules = selectors.candidate_offers(student=StudentFactory(), now=NOW, entered_code=" old ")
    assert [rule.id for rule in rules] == [automatic.pk, expired_code.pk]
    visitor = selectors.candidate_offers(student=None, now=NOW, entered_code="")
    assert [rule.id for rule in visitor] == [automatic.pk]


@pytest.mark.django_db
def test_candidate_offers_count_uses_and_teachers_in_two_queries(django_assert_num_queries):
    student = StudentFactory()
    claire, marc = TeacherProfileFactory(), TeacherProfileFactory()
    limited = OfferFactory(max_uses=5, max_uses_per_student=2, teachers=[claire, marc])
    OfferRedemptionFactory(offer=limited, student=student)
    OfferRedemptionFactory.create_batch(2, offer=limited)
    unlimited = OfferFactory(stackable=True)
    OfferRedemptionFactory(offer=unlimited, student=student)

    with django_assert_num_queries(2):
        candidates = selectors.candidate_offers(student=student, now=NOW, entered_code="")
    rules = {rule.id: rule for rule in candidates}

    both, free = rules[limited.pk], rules[unlimited.pk]
    assert (both.uses_left, both.uses_left_for_student) == (2, 1)
    assert both.teacher_ids == frozenset({claire.pk, marc.pk})
    assert (free.uses_left, free.uses_left_for_student) == (None, None)
    assert free.teacher_ids == frozenset()
    assert free.stackable is True


@pytest.mark.django_db
def test_from_the_database_to_a_quote():
    claire = TeacherProfileFactory()
    OfferFactory(kind=OfferKind.FIXED, value=Decimal("5"), code="FIVE", max_uses_per_student=1)
    OfferFactory(code="OLD", valid_until=NOW - HOUR)
    student = StudentFactory()
    lines = [PricingLine("lesson-1", claire.pk, Decimal("22.00"))]

    def quote(code: str):
        rules = selectors.candidate_offers(student=student, now=NOW, entered_code=code)
        context = PricingContext(now=NOW, entered_code=code, student_has_paid_lessons=False)
        return price_basket(lines, rules, context)

    assert (quote("five").code_status, quote("five").total) == (CODE_APPLIED, Decimal("17.00"))
    assert (quote("old").code_status, quote("old").total) == (CODE_EXPIRED, Decimal("22.00"))


# -- the home page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_featured_offers_are_active_featured_in_their_window_and_not_used_up():
    ends_soon = OfferFactory(is_featured=True, valid_until=NOW + HOUR)
    open_ended = OfferFactory(is_featured=True)
    OfferFactory(is_featured=False)
    OfferFactory(is_featured=True, is_active=False)
    OfferFactory(is_featured=True, valid_from=NOW + HOUR)
    used_up = OfferFactory(is_featured=True, max_uses=1)
    OfferRedemptionFactory(offer=used_up)

    assert selectors.featured_offers(NOW) == [ends_soon, open_ended]


@pytest.mark.django_db
def test_the_offer_card_shows_the_deal_the_code_the_teachers_and_the_end():
    claire = TeacherProfileFactory(user__display_name="Claire")
    OfferFactory(
        name="Spring sale",
        description="Practise more this spring.",
        kind=OfferKind.PERCENT,
        value=Decimal("20"),
        code="SPRING",
        is_featured=True,
        min_lessons=3,
        valid_until=datetime(2026, 12, 24, 23, 0, tzinfo=UTC),
        teachers=[claire],
    )
    html = render_to_string(
        "offers/_offer_cards.html",
        {"offers": selectors.featured_offers(NOW), "viewer_timezone": "Europe/Paris"},
    )
    for text in ("Spring sale", "Practise more this spring.", "20% off", "SPRING", "Claire"):
        assert text in html
    assert "From 3 lessons" in html
    assert "Fri 25 Dec 2026, 00:00" in html  # the end, in the viewer's zone


@pytest.mark.django_db
def test_an_automatic_offer_card_says_it_applies_by_itself():
    OfferFactory(kind=OfferKind.TRIAL_PRICE, value=Decimal("9"), is_featured=True)
    html = render_to_string("offers/_offer_cards.html", {"offers": selectors.featured_offers(NOW)})
    assert "First lesson €9.00" in html and "Applied automatically" in html


def test_the_pricing_engine_imports_nothing_from_django():
    code = (
        "import sys, petittalk.offers.pricing; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[3]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0
