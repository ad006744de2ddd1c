"""The pricing engine case by case: every kind, every rule, stacking, rounding, code messages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from petittalk.offers.pricing import (
    BUY_N_GET_M,
    CODE_ALREADY_USED,
    CODE_APPLIED,
    CODE_EXPIRED,
    CODE_FIRST_LESSON_ONLY,
    CODE_NOT_COMBINABLE,
    CODE_NOT_YET_VALID,
    CODE_OTHER_TEACHERS,
    CODE_UNKNOWN,
    CODE_USED_UP,
    FIXED,
    PERCENT,
    TRIAL_PRICE,
    OfferRule,
    PricingContext,
    PricingLine,
    Quote,
    code_problem,
    price_basket,
    split_proportionally,
)

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
CLAIRE, MARC = 1, 2


def D(text: str) -> Decimal:
    return Decimal(text)


def basket(*prices: str, teacher: int = CLAIRE) -> list[PricingLine]:
    return [
        PricingLine(key=f"b{n}", teacher_id=teacher, price=D(price))
        for n, price in enumerate(prices, 1)
    ]


def offer(id: int = 1, kind: str = PERCENT, value: str = "10", **changes) -> OfferRule:
    rule = OfferRule(
        id=id,
        name=f"Offer {id}",
        kind=kind,
        value=D(value),
        buy_quantity=None,
        free_quantity=None,
        code="",
        valid_from=None,
        valid_until=None,
        min_lessons=1,
        uses_left=None,
        uses_left_for_student=None,
        teacher_ids=frozenset(),
        stackable=False,
    )
    return replace(rule, **changes)


def price(lines, offers, *, code: str = "", paid: bool = False, now: datetime = NOW) -> Quote:
    context = PricingContext(now=now, entered_code=code, student_has_paid_lessons=paid)
    quote = price_basket(lines, offers, context)
    assert_consistent(quote)
    return quote


def assert_consistent(quote: Quote) -> None:
    assert sum(line.total for line in quote.lines) == quote.total
    assert sum(line.discount for line in quote.lines) == quote.discount
    assert quote.subtotal - quote.discount == quote.total
    assert Decimal(0) <= quote.discount <= quote.subtotal
    for line in quote.lines:
        assert Decimal(0) <= line.total <= line.price
        assert sum(share for _, share in line.discounts) == line.discount
    for applied in quote.applied:
        shares = [s for line in quote.lines for oid, s in line.discounts if oid == applied.offer_id]
        assert sum(shares) == applied.amount


def line_discounts(quote: Quote) -> list[Decimal]:
    return [line.discount for line in quote.lines]


# -- each kind -------------------------------------------------------------------------------


def test_percent_takes_the_percentage_off_each_line():
    quote = price(basket("22.00", "12.00", "10.00"), [offer(value="20")])
    assert line_discounts(quote) == [D("4.40"), D("2.40"), D("2.00")]
    assert (quote.subtotal, quote.discount, quote.total) == (D("44.00"), D("8.80"), D("35.20"))
    assert [(a.offer_id, a.amount) for a in quote.applied] == [(1, D("8.80"))]


def test_percent_rounds_each_line_half_up_three_tens_at_33_percent():
    quote = price(basket("10.00", "10.00", "10.00"), [offer(value="33")])
    assert line_discounts(quote) == [D("3.30")] * 3
    assert quote.total == D("20.10")


def test_percent_rounds_half_up_not_to_even():
    # 50% of 12.25 is 6.125: half-up gives 6.13 (banker's rounding would give 6.12).
    quote = price(basket("12.25"), [offer(value="50")])
    assert quote.discount == D("6.13")
    assert quote.total == D("6.12")


def test_a_hundred_percent_makes_the_basket_free():
    quote = price(basket("22.00", "12.35"), [offer(value="100")])
    assert quote.total == D("0.00")
    assert quote.discount == quote.subtotal


def test_fixed_amount_is_split_in_proportion_and_sums_exactly():
    # Exact shares 3.098, 1.412, 5.490 €: floors 3.09 + 1.41 + 5.49 = 9.99, and the
    # leftover cent goes to the largest fraction (the first line's .806 of a cent).
    quote = price(basket("7.33", "3.34", "12.99"), [offer(kind=FIXED, value="10")])
    assert line_discounts(quote) == [D("3.10"), D("1.41"), D("5.49")]
    assert quote.discount == D("10.00")
    assert quote.total == D("13.66")


def test_fixed_amount_bigger_than_the_basket_stops_at_zero():
    quote = price(basket("22.00", "12.00"), [offer(kind=FIXED, value="50")])
    assert quote.total == D("0.00")
    assert quote.applied[0].amount == D("34.00")
    assert [line.total for line in quote.lines] == [D("0.00"), D("0.00")]


@pytest.mark.parametrize(
    ("prices", "free_count", "expected_free"),
    [
        (("22.00", "12.00", "30.00"), 1, ["b2"]),
        (("22.00", "12.00", "30.00", "10.00", "25.00"), 1, ["b4"]),
        (("22.00", "12.00", "22.00", "12.00", "30.00", "10.00"), 2, ["b2", "b6"]),
        (("15.00", "15.00", "15.00"), 1, ["b1"]),  # equal prices: the earlier lesson
    ],
)
def test_buy_2_get_1_makes_the_cheapest_lessons_of_each_group_of_3_free(
    prices, free_count, expected_free
):
    rule = offer(kind=BUY_N_GET_M, value="0", buy_quantity=2, free_quantity=1)
    quote = price(basket(*prices), [rule])
    free = [line.key for line in quote.lines if line.total == 0]
    assert free == expected_free
    assert len(free) == free_count
    assert all(line.total in (line.price, 0) for line in quote.lines)


def test_buy_n_get_m_needs_a_full_group_and_says_how_many():
    rule = offer(kind=BUY_N_GET_M, value="0", buy_quantity=5, free_quantity=1, code="PACK")
    quote = price(basket(*["20.00"] * 5), [rule], code="pack")
    assert quote.discount == 0
    assert quote.code_status == "Minimum 6 lessons for this code"
    assert price(basket(*["20.00"] * 6), [rule], code="pack").discount == D("20.00")


def test_trial_price_brings_the_most_expensive_eligible_lesson_down_to_the_trial_price():
    quote = price(basket("12.00", "22.00", "22.00"), [offer(kind=TRIAL_PRICE, value="9")])
    assert line_discounts(quote) == [D("0.00"), D("13.00"), D("0.00")]
    assert quote.total == D("43.00")


def test_trial_price_is_only_for_students_who_never_paid_for_a_lesson():
    rule = offer(kind=TRIAL_PRICE, value="9", code="FIRST")
    quote = price(basket("22.00"), [rule], code="first", paid=True)
    assert quote.discount == 0
    assert quote.code_status == CODE_FIRST_LESSON_ONLY


def test_a_trial_price_never_raises_a_cheaper_lesson():
    quote = price(basket("8.00"), [offer(kind=TRIAL_PRICE, value="9")])
    assert quote.total == D("8.00")
    assert quote.applied == ()


def test_a_free_trial_lesson():
    quote = price(basket("22.00", "12.00"), [offer(kind=TRIAL_PRICE, value="0")])
    assert line_discounts(quote) == [D("22.00"), D("0.00")]


# -- when an offer applies ---------------------------------------------------------------------


@pytest.mark.parametrize(("lessons", "applies"), [(2, False), (3, True), (4, True)])
def test_minimum_lessons(lessons, applies):
    quote = price(basket(*["20.00"] * lessons), [offer(min_lessons=3)])
    assert (quote.discount > 0) is applies


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "applies"),
    [
        (None, None, True),
        (NOW, None, True),  # starts at `now`: inclusive
        (NOW + timedelta(seconds=1), None, False),
        (None, NOW, False),  # ends at `now`: exclusive
        (None, NOW + timedelta(seconds=1), True),
        (NOW - timedelta(days=1), NOW + timedelta(days=1), True),
    ],
)
def test_validity_window(valid_from, valid_until, applies):
    quote = price(basket("20.00"), [offer(valid_from=valid_from, valid_until=valid_until)])
    assert (quote.discount > 0) is applies


@pytest.mark.parametrize("typed", ["WELCOME", "welcome", " Welcome ", "wElCoMe\t"])
def test_codes_are_case_insensitive(typed):
    quote = price(basket("20.00"), [offer(code="WELCOME")], code=typed)
    assert quote.discount == D("2.00")
    assert quote.code_status == CODE_APPLIED


def test_a_code_offer_needs_its_code():
    rule = offer(code="WELCOME")
    assert price(basket("20.00"), [rule]).discount == 0
    other = price(basket("20.00"), [rule], code="HELLO")
    assert other.discount == 0
    assert other.code_status == CODE_UNKNOWN


def test_no_code_entered_means_an_empty_code_status():
    assert price(basket("20.00"), [offer()]).code_status == ""


def test_teacher_restriction_discounts_only_that_teachers_lessons():
    lines = [*basket("20.00", "30.00", teacher=CLAIRE), *basket("40.00", teacher=MARC)]
    lines[2] = replace(lines[2], key="marc")
    quote = price(lines, [offer(value="50", teacher_ids=frozenset({CLAIRE}))])
    assert line_discounts(quote) == [D("10.00"), D("15.00"), D("0.00")]


def test_teacher_restriction_counts_only_that_teachers_lessons_for_the_minimum():
    lines = [*basket("20.00", teacher=CLAIRE), *basket("40.00", teacher=MARC)]
    rule = offer(teacher_ids=frozenset({CLAIRE}), min_lessons=2, code="CLAIRE")
    quote = price(lines, [rule], code="claire")
    assert quote.discount == 0
    assert quote.code_status == "Minimum 2 lessons for this code"


def test_a_fixed_amount_restricted_to_a_teacher_is_shared_on_their_lessons_only():
    lines = [PricingLine("a", CLAIRE, D("10.00")), PricingLine("b", MARC, D("30.00"))]
    quote = price(lines, [offer(kind=FIXED, value="25", teacher_ids=frozenset({CLAIRE}))])
    assert line_discounts(quote) == [D("10.00"), D("0.00")]


def test_a_code_for_another_teacher_says_so():
    rule = offer(teacher_ids=frozenset({MARC}), code="MARC")
    quote = price(basket("20.00", teacher=CLAIRE), [rule], code="marc")
    assert quote.code_status == CODE_OTHER_TEACHERS
    assert quote.discount == 0


@pytest.mark.parametrize(
    ("changes", "applies"),
    [
        ({"uses_left": 0}, False),
        ({"uses_left": 1}, True),
        ({"uses_left_for_student": 0}, False),
        ({"uses_left_for_student": 2}, True),
        ({"uses_left": None, "uses_left_for_student": None}, True),
    ],
)
def test_usage_limits(changes, applies):
    quote = price(basket("20.00"), [offer(**changes)])
    assert (quote.discount > 0) is applies


@pytest.mark.parametrize(
    ("changes", "lines", "paid", "status"),
    [
        ({}, 1, False, CODE_APPLIED),
        ({"valid_until": NOW}, 1, False, CODE_EXPIRED),
        ({"valid_from": NOW + timedelta(hours=1)}, 1, False, CODE_NOT_YET_VALID),
        ({"min_lessons": 3}, 2, False, "Minimum 3 lessons for this code"),
        ({"min_lessons": 1}, 0, False, "Minimum 1 lesson for this code"),
        ({"uses_left": 0}, 1, False, CODE_USED_UP),
        ({"uses_left_for_student": 0}, 1, False, CODE_ALREADY_USED),
        ({"kind": TRIAL_PRICE, "value": D("9")}, 1, True, CODE_FIRST_LESSON_ONLY),
        ({"teacher_ids": frozenset({MARC})}, 1, False, CODE_OTHER_TEACHERS),
    ],
)
def test_code_status_explains_why_a_code_does_not_apply(changes, lines, paid, status):
    rule = offer(code="SPRING", **changes)
    quote = price(basket(*["20.00"] * lines), [rule], code="spring", paid=paid)
    assert quote.code_status == status
    assert (quote.discount > 0) is (status == CODE_APPLIED)


def test_code_problem_for_a_code_nobody_has():
    context = PricingContext(now=NOW, entered_code="NOPE", student_has_paid_lessons=False)
    assert code_problem(None, basket("20.00"), context) == CODE_UNKNOWN
    assert code_problem(offer(code="NOPE"), basket("20.00"), context) is None


# -- stacking ------------------------------------------------------------------------------


def test_the_best_exclusive_offer_wins():
    ten_percent, five_euros = offer(1, value="10"), offer(2, kind=FIXED, value="5")
    quote = price(basket("22.00", "12.00"), [ten_percent, five_euros])
    assert [a.offer_id for a in quote.applied] == [2]
    assert quote.discount == D("5.00")


def test_equal_exclusive_offers_tie_to_the_lowest_id():
    offers = [offer(7, kind=FIXED, value="2"), offer(3, value="10")]  # both €2 on €20
    assert [a.offer_id for a in price(basket("20.00"), offers).applied] == [3]


def test_stackable_offers_apply_on_what_is_left_after_the_exclusive_one():
    exclusive = offer(1, kind=FIXED, value="5")
    stackable = offer(2, value="10", stackable=True)
    quote = price(basket("22.00", "12.00"), [stackable, exclusive])
    # €5 split 3.24 / 1.76, leaving 18.76 and 10.24; then 10% of each: 1.88 and 1.02.
    assert [(a.offer_id, a.amount) for a in quote.applied] == [(1, D("5.00")), (2, D("2.90"))]
    assert quote.lines[0].discounts == ((1, D("3.24")), (2, D("1.88")))
    assert quote.lines[1].discounts == ((1, D("1.76")), (2, D("1.02")))
    assert quote.total == D("26.10")


def test_stackable_offers_apply_in_id_order():
    fixed, percent = offer(1, kind=FIXED, value="10", stackable=True), offer(2, value="50")
    percent = replace(percent, stackable=True)
    quote = price(basket("30.00"), [percent, fixed])
    assert [(a.offer_id, a.amount) for a in quote.applied] == [(1, D("10.00")), (2, D("10.00"))]


def test_stacking_never_goes_below_zero():
    offers = [
        offer(1, kind=FIXED, value="30"),
        offer(2, kind=FIXED, value="10", stackable=True),
        offer(3, value="100", stackable=True),
    ]
    quote = price(basket("22.00", "12.00"), offers)
    assert quote.total == D("0.00")
    assert [(a.offer_id, a.amount) for a in quote.applied] == [(1, D("30.00")), (2, D("4.00"))]


def test_a_worse_exclusive_code_is_recognised_but_not_combined():
    automatic = offer(1, kind=FIXED, value="5")
    code = offer(2, value="10", code="TEN")
    quote = price(basket("22.00", "12.00"), [automatic, code], code="ten")
    assert quote.code_status == CODE_NOT_COMBINABLE
    assert [a.offer_id for a in quote.applied] == [1]


def test_a_better_exclusive_code_replaces_the_automatic_offer():
    automatic = offer(1, kind=FIXED, value="5")
    code = offer(2, value="50", code="HALF")
    quote = price(basket("22.00", "12.00"), [automatic, code], code="half")
    assert quote.code_status == CODE_APPLIED
    assert [a.offer_id for a in quote.applied] == [2]
    assert quote.total == D("17.00")


def test_a_stackable_code_applies_on_top_of_the_best_exclusive_offer():
    automatic = offer(1, value="20")
    code = offer(2, kind=FIXED, value="3", code="EXTRA", stackable=True)
    quote = price(basket("20.00"), [automatic, code], code="extra")
    assert quote.code_status == CODE_APPLIED
    assert quote.total == D("13.00")


def test_the_quote_does_not_depend_on_the_order_of_offers():
    offers = [
        offer(1, value="15"),
        offer(2, kind=FIXED, value="7.77", stackable=True),
        offer(3, kind=BUY_N_GET_M, value="0", buy_quantity=2, free_quantity=1),
        offer(4, kind=TRIAL_PRICE, value="5", stackable=True),
    ]
    lines = basket("21.00", "13.50", "8.99", "30.00")
    assert price(lines, offers) == price(lines, list(reversed(offers)))


def test_an_empty_basket_costs_nothing():
    quote = price([], [offer(), offer(2, kind=FIXED, value="5", stackable=True)])
    assert (quote.subtotal, quote.discount, quote.total, quote.applied) == (0, 0, 0, ())


# -- the splitting helper ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "weights", "parts"),
    [
        ("10.00", ["7.33", "3.34", "12.99"], ["3.10", "1.41", "5.49"]),
        ("0.01", ["1.00", "1.00", "1.00"], ["0.01", "0.00", "0.00"]),
        ("0.02", ["1.00", "1.00", "1.00"], ["0.01", "0.01", "0.00"]),
        ("3.00", ["1.00", "2.00"], ["1.00", "2.00"]),
        ("4.00", ["0.00", "4.00"], ["0.00", "4.00"]),  # a zero weight gets nothing
        ("1.00", ["0.00", "0.00"], ["0.00", "0.00"]),
    ],
)
def test_split_proportionally(amount, weights, parts):
    split = split_proportionally(D(amount), [D(w) for w in weights])
    assert split == [D(p) for p in parts]
