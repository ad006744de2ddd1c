"""Properties of the pricing engine over random baskets and random offers of every kind.

Hypothesis draws 1-8 lessons (€5-€60, three teachers) and up to 6 offers (any kind, value, code,
window, minimum, remaining uses, teacher restriction, stackable or not) and a context (typed code,
first-timer or not), then checks the guarantees `price_basket` documents.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from petittalk.offers.pricing import (
    BUY_N_GET_M,
    FIXED,
    KINDS,
    PERCENT,
    TRIAL_PRICE,
    OfferRule,
    PricingContext,
    PricingLine,
    Quote,
    price_basket,
)

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
TEACHERS = (1, 2, 3)
CENT = Decimal("0.01")
# 150 examples per property, half again Hypothesis' default of 100: seven properties share these
# strategies, and 300 each cost the suite twice the time (~20 s instead of ~12 s alone).
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, database=None)


def cents(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda c: Decimal(c) / 100)


lines_strategy = st.lists(
    st.tuples(st.sampled_from(TEACHERS), cents(500, 6000)),
    min_size=1,
    max_size=8,
).map(
    lambda drawn: [
        PricingLine(key=f"line-{n}", teacher_id=teacher, price=price)
        for n, (teacher, price) in enumerate(drawn)
    ]
)

VALUES = {
    PERCENT: cents(0, 10000),
    FIXED: cents(1, 20000),
    BUY_N_GET_M: st.just(Decimal("0.00")),
    TRIAL_PRICE: cents(0, 6000),
}
moments = st.one_of(st.none(), st.integers(-48, 48).map(lambda h: NOW + timedelta(hours=h)))


@st.composite
def offer_strategy(draw, offer_id: int) -> OfferRule:
    kind = draw(st.sampled_from(KINDS))
    valid_from, valid_until = draw(moments), draw(moments)
    if valid_from and valid_until and valid_until <= valid_from:
        valid_until = valid_from + timedelta(hours=1)  # the database refuses such windows
    is_buy = kind == BUY_N_GET_M
    return OfferRule(
        id=offer_id,
        name=f"Offer {offer_id}",
        kind=kind,
        value=draw(VALUES[kind]),
        buy_quantity=draw(st.integers(1, 4)) if is_buy else None,
        free_quantity=draw(st.integers(1, 2)) if is_buy else None,
        code=draw(st.sampled_from(["", "", "", "SPRING", "SUMMER"])),
        valid_from=valid_from,
        valid_until=valid_until,
        min_lessons=draw(st.integers(1, 4)),
        uses_left=draw(st.sampled_from([None, None, 0, 1, 5])),
        uses_left_for_student=draw(st.sampled_from([None, None, 0, 1])),
        teacher_ids=frozenset(draw(st.sets(st.sampled_from(TEACHERS), max_size=2))),
        stackable=draw(st.booleans()),
    )


@st.composite
def offers_strategy(draw) -> list[OfferRule]:
    ids = draw(st.lists(st.integers(1, 1000), unique=True, max_size=6))
    offers = [draw(offer_strategy(offer_id)) for offer_id in ids]
    # Codes are unique in the database: keep the first offer holding each code.
    taken: set[str] = set()
    unique = []
    for offer in offers:
        if offer.code and offer.code in taken:
            continue
        taken.add(offer.code)
        unique.append(offer)
    return unique


context_strategy = st.builds(
    PricingContext,
    now=st.just(NOW),
    entered_code=st.sampled_from(["", "spring", "SUMMER", " Spring ", "WINTER"]),
    student_has_paid_lessons=st.booleans(),
)


def is_whole_cents(amount: Decimal) -> bool:
    return amount == amount.quantize(CENT) and amount.as_tuple().exponent == -2


@PROPERTY_SETTINGS
@given(lines=lines_strategy, offers=offers_strategy(), context=context_strategy)
def test_totals_add_up_exactly_in_whole_cents(lines, offers, context):
    quote = price_basket(lines, offers, context)
    assert sum(line.total for line in quote.lines) == quote.total
    assert sum(line.discount for line in quote.lines) == quote.discount
    assert quote.subtotal == sum(line.price for line in lines)
    assert quote.subtotal - quote.discount == quote.total
    for amount in (quote.subtotal, quote.discount, quote.total):
        assert is_whole_cents(amount)
    for line in quote.lines:
        assert is_whole_cents(line.total) and is_whole_cents(line.discount)


@PROPERTY_SETTINGS
@given(lines=lines_strategy, offers=offers_strategy(), context=context_strategy)
def test_discounts_stay_between_zero_and_the_price(lines, offers, context):
    quote = price_basket(lines, offers, context)
    assert Decimal(0) <= quote.discount <= quote.subtotal
    for line, original in zip(quote.lines, lines, strict=True):
        assert line.key == original.key and line.price == original.price
        assert Decimal(0) <= line.total <= line.price
        assert line.price - line.discount == line.total
    for applied in quote.applied:
        assert applied.amount > 0


@PROPERTY_SETTINGS
@given(lines=lines_strategy, offers=offers_strategy(), context=context_strategy)
def test_every_discount_is_allocated_exactly_per_offer_and_per_line(lines, offers, context):
    quote = price_basket(lines, offers, context)
    applied_ids = [applied.offer_id for applied in quote.applied]
    assert len(applied_ids) == len(set(applied_ids))
    for line in quote.lines:
        assert sum((share for _, share in line.discounts), Decimal(0)) == line.discount
        assert all(share > 0 and is_whole_cents(share) for _, share in line.discounts)
        assert {offer_id for offer_id, _ in line.discounts} <= set(applied_ids)
    for applied in quote.applied:
        shares = [s for line in quote.lines for oid, s in line.discounts if oid == applied.offer_id]
        assert sum(shares, Decimal(0)) == applied.amount


@PROPERTY_SETTINGS
@given(
    lines=lines_strategy,
    offers=offers_strategy(),
    context=context_strategy,
    data=st.data(),
)
def test_pricing_is_deterministic_and_ignores_the_order_of_offers(lines, offers, context, data):
    first = price_basket(lines, offers, context)
    assert price_basket(lines, offers, context) == first
    shuffled = data.draw(st.permutations(offers))
    assert price_basket(lines, shuffled, context) == first


@PROPERTY_SETTINGS
@given(lines=lines_strategy, offers=offers_strategy(), context=context_strategy)
def test_no_single_exclusive_offer_beats_the_one_chosen(lines, offers, context):
    quote = price_basket(lines, offers, context)
    exclusive_ids = {offer.id for offer in offers if not offer.stackable}
    chosen = next((a.amount for a in quote.applied if a.offer_id in exclusive_ids), Decimal(0))
    assert sum(1 for a in quote.applied if a.offer_id in exclusive_ids) <= 1
    for offer in offers:
        if not offer.stackable:
            assert price_basket(lines, [offer], context).discount <= chosen


@PROPERTY_SETTINGS
@given(lines=lines_strategy, value=cents(1, 40000), teacher_ids=st.sets(st.sampled_from(TEACHERS)))
def test_a_fixed_amount_gives_exactly_itself_or_everything_eligible(lines, value, teacher_ids):
    rule = OfferRule(
        id=1,
        name="Fixed",
        kind=FIXED,
        value=value,
        buy_quantity=None,
        free_quantity=None,
        code="",
        valid_from=None,
        valid_until=None,
        min_lessons=1,
        uses_left=None,
        uses_left_for_student=None,
        teacher_ids=frozenset(teacher_ids),
        stackable=False,
    )
    context = PricingContext(now=NOW, entered_code="", student_has_paid_lessons=False)
    quote: Quote = price_basket(lines, [rule], context)
    eligible = [line for line in lines if not teacher_ids or line.teacher_id in teacher_ids]
    expected = min(value, sum((line.price for line in eligible), Decimal(0))) if eligible else 0
    assert quote.discount == expected


@PROPERTY_SETTINGS
@given(lines=lines_strategy, offers=offers_strategy(), context=context_strategy)
def test_code_status_is_empty_exactly_when_no_code_was_typed(lines, offers, context):
    quote = price_basket(lines, offers, context)
    assert (quote.code_status == "") is (context.entered_code.strip() == "")
