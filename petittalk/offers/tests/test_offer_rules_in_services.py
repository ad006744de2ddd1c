"""The offer services hold the offer rules themselves: a caller that skips the staff form (a
script, another app, the demo seeder) gets the same clear refusal, and nothing is written."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from petittalk.offers.models import Offer, OfferKind
from petittalk.offers.services import OfferError, OfferSettings, offer_create, offer_update
from petittalk.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

SPRING = OfferSettings(
    name="Spring sale",
    description="20% off every lesson until the end of April.",
    kind=OfferKind.PERCENT,
    value=Decimal("20.00"),
    code="SPRING-26",
    valid_from=datetime(2026, 4, 1, tzinfo=UTC),
    valid_until=datetime(2026, 5, 1, tzinfo=UTC),
)
PACK = replace(SPRING, kind=OfferKind.BUY_N_GET_M, value=None, buy_quantity=5, free_quantity=1)


@pytest.mark.parametrize(
    ("breaking", "field", "message"),
    [
        (replace(SPRING, value=Decimal("101")), "value", "A percentage can't be more than 100."),
        (replace(SPRING, value=Decimal("0")), "value", "enter a percentage above 0"),
        (replace(SPRING, value=None), "value", "Enter the percentage off."),
        (
            replace(SPRING, kind=OfferKind.FIXED, value=Decimal("-5")),
            "value",
            "The value can't be negative.",
        ),
        (
            replace(SPRING, kind=OfferKind.FIXED, value=Decimal("0")),
            "value",
            "enter an amount above 0",
        ),
        (
            replace(SPRING, kind=OfferKind.FIXED, value=Decimal("100000")),
            "value",
            "below €100000",
        ),
        (
            replace(SPRING, kind=OfferKind.FIXED, value=Decimal("5.005")),
            "value",
            "at most 2 decimals",
        ),
        (
            replace(SPRING, kind=OfferKind.TRIAL_PRICE, value=None),
            "value",
            "Enter the first lesson's price",
        ),
        (
            replace(SPRING, kind=OfferKind.TRIAL_PRICE, value=Decimal("-1")),
            "value",
            "The value can't be negative.",
        ),
        (replace(PACK, buy_quantity=None), "buy_quantity", "how many lessons the student buys"),
        (replace(PACK, free_quantity=0), "free_quantity", "how many lessons are then free"),
        (replace(PACK, buy_quantity=-2), "buy_quantity", "how many lessons the student buys"),
        (replace(PACK, free_quantity=40000), "free_quantity", "less than or equal to 32767"),
        (replace(SPRING, kind="half_price"), "kind", "Choose what kind of offer it is."),
        (
            replace(SPRING, valid_until=datetime(2026, 3, 1, tzinfo=UTC)),
            "valid_until",
            "The end must be after the start.",
        ),
        (
            replace(SPRING, valid_until=SPRING.valid_from),
            "valid_until",
            "The end must be after the start.",
        ),
        (
            replace(SPRING, valid_from=datetime(1, 1, 1, tzinfo=UTC)),
            "valid_from",
            "Choose a date between 2000 and 2100.",
        ),
        (replace(SPRING, code="SPRING SALE"), "code", "no spaces"),
        (replace(SPRING, code="été!"), "code", "Use only letters, digits"),
        (replace(SPRING, code="X" * 31), "code", "at most 30 characters"),
        (replace(SPRING, min_lessons=0), "min_lessons", "at least 1 lesson"),
        (replace(SPRING, max_uses=0), "max_uses", "allow at least 1 use"),
        (replace(SPRING, max_uses=-3), "max_uses", "allow at least 1 use"),
        (replace(SPRING, max_uses_per_student=0), "max_uses_per_student", "at least 1 use"),
        (replace(SPRING, name="   "), "name", "Give the offer a name."),
        (replace(SPRING, name="N" * 81), "name", "at most 80 characters"),
        (replace(SPRING, description="D" * 501), "description", "at most 500 characters"),
    ],
)
def test_creating_an_offer_that_breaks_a_rule_is_refused_and_nothing_is_written(
    breaking, field, message
):
    with pytest.raises(OfferError) as refused:
        offer_create(settings=breaking)

    assert message in refused.value.problems[field]
    assert message in str(refused.value)
    assert not Offer.objects.exists()


def test_a_code_another_offer_uses_is_refused_whatever_its_case():
    OfferFactory(code="SPRING-26")

    with pytest.raises(OfferError) as refused:
        offer_create(settings=replace(SPRING, code="spring-26"))

    assert refused.value.problems["code"] == "Another offer already uses this code."
    assert Offer.objects.count() == 1


def test_changing_an_offer_to_break_a_rule_is_refused_and_the_offer_is_kept():
    offer = offer_create(settings=SPRING)

    with pytest.raises(OfferError) as refused:
        offer_update(offer=offer, settings=replace(SPRING, name="Renamed", value=Decimal("150")))

    assert refused.value.problems == {"value": "A percentage can't be more than 100."}
    offer.refresh_from_db()
    assert (offer.name, offer.value) == ("Spring sale", Decimal("20.00"))


def test_an_offer_keeps_its_own_code_when_changed():
    offer = offer_create(settings=SPRING)

    offer = offer_update(offer=offer, settings=replace(SPRING, name="Renamed"))

    assert (offer.name, offer.code) == ("Renamed", "SPRING-26")


def test_a_percent_offer_keeps_no_quantities_and_a_pack_keeps_no_value():
    percent = offer_create(settings=replace(SPRING, code="", buy_quantity=3, free_quantity=1))
    pack = offer_create(settings=replace(PACK, code="PACK", value=Decimal("20")))

    assert (percent.buy_quantity, percent.free_quantity) == (None, None)
    assert (pack.value, pack.buy_quantity, pack.free_quantity) == (Decimal("0.00"), 5, 1)


def test_names_descriptions_and_codes_are_stored_tidied():
    offer = offer_create(
        settings=replace(SPRING, name="  Spring sale ", description=" Soon. ", code=" spring-26 ")
    )

    assert (offer.name, offer.description, offer.code) == ("Spring sale", "Soon.", "SPRING-26")
