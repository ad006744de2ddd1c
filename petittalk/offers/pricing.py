"""The pricing engine: what a basket of lessons costs once offers are applied, as pure functions.

Nothing here touches the database, settings or the clock. Callers pass the lessons (one
`PricingLine` each), the candidate offers as plain `OfferRule`s and a `PricingContext` (`now`, the
code the student typed, whether they already paid for a lesson), and get back a `Quote`.

When an offer applies
---------------------
All of these hold:

* it is in its window: `valid_from <= now < valid_until` (either end may be open);
* it is automatic (blank code) or its code equals the entered code, ignoring case and spaces
  around it;
* its eligible lines (lessons with one of its teachers; every lesson if it names no teacher) are
  at least `min_lessons`. A "buy N get M" offer needs at least N + M eligible lessons whatever
  `min_lessons` says: with fewer it could not give anything, and the student deserves to hear
  "Minimum 6 lessons for this code" rather than see a code that "applies" for €0.00;
* neither its global nor the student's own remaining uses is 0;
* a trial price only while the student has never paid for a lesson.

Stacking
--------
Offers are exclusive unless marked stackable. Every applicable exclusive offer is priced on the full
basket; the one giving the largest discount wins (ties: the lowest id, so the answer never depends
on the order offers arrive in). Then every applicable stackable offer, by id, is priced on what is
left of each line after the previous ones. A discount never exceeds what is left of a line, so no
line (and no total) goes below zero.

Allocation to lines
-------------------
Every discount is split onto the lines it came from, in whole cents, so one lesson can later be
refunded exactly (`PricedLine.discounts` keeps each offer's share):

* percent: each eligible line loses `quantize(left * percent / 100)` (half-up, per line);
* fixed: the amount (capped at what is left on the eligible lines) is shared in proportion to what
  is left of each line, by largest remainder in cents: each line gets the floor of its exact share
  and the leftover cents go to the largest fractions (ties: the earlier line), so the parts add up
  to the amount exactly and no line gets more than it has left;
* buy N get M: the eligible lines are sorted by price (cheapest first, then basket order) and, for
  every full group of N + M, the M cheapest lessons of the basket become free;
* trial price: ONE eligible line, the most expensive one (ties: the earlier line), is brought down
  to the trial price. Choosing the dearest lesson makes the trial worth the most to the student,
  which is what a "your first lesson for €9" promise means to them. A line already cheaper than the
  trial price is left alone (a trial never raises a price).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from petittalk.core.money import from_minor_units, quantize, to_minor_units

PERCENT = "percent"
FIXED = "fixed"
BUY_N_GET_M = "buy_n_get_m"
TRIAL_PRICE = "trial_price"
KINDS = (PERCENT, FIXED, BUY_N_GET_M, TRIAL_PRICE)

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

# What `Quote.code_status` says about the code the student typed.
CODE_APPLIED = "applied"
CODE_UNKNOWN = "This code doesn't exist"
CODE_EXPIRED = "This code has expired"
CODE_NOT_YET_VALID = "This code isn't valid yet"
CODE_USED_UP = "This code has been used up"
CODE_ALREADY_USED = "You have already used this code"
CODE_FIRST_LESSON_ONLY = "This code is only for a first lesson"
CODE_OTHER_TEACHERS = "This code is for other teachers' lessons"
CODE_NOT_COMBINABLE = "This code can't be combined with a better offer already applied"


def code_minimum_message(lessons: int) -> str:
    return f"Minimum {lessons} lesson{'' if lessons == 1 else 's'} for this code"


@dataclass(frozen=True)
class PricingLine:
    """One lesson in the basket at its own price."""

    key: str
    teacher_id: int
    price: Decimal


@dataclass(frozen=True)
class OfferRule:
    """An offer as the engine sees it, with its remaining uses already counted."""

    id: int
    name: str
    kind: str
    value: Decimal
    buy_quantity: int | None
    free_quantity: int | None
    code: str  # upper-case; "" when the offer applies automatically
    valid_from: datetime | None
    valid_until: datetime | None
    min_lessons: int
    uses_left: int | None  # None: unlimited
    uses_left_for_student: int | None  # None: unlimited
    teacher_ids: frozenset[int]  # empty: every teacher
    stackable: bool


@dataclass(frozen=True)
class PricingContext:
    now: datetime
    entered_code: str  # as typed, any case, may be ""
    student_has_paid_lessons: bool


@dataclass(frozen=True)
class AppliedDiscount:
    offer_id: int
    name: str
    amount: Decimal
    code: str = ""  # the code that applied it; "" for an automatic offer


@dataclass(frozen=True)
class PricedLine:
    key: str
    price: Decimal
    discount: Decimal
    total: Decimal
    discounts: tuple[tuple[int, Decimal], ...]  # (offer id, this line's share), in applied order


@dataclass(frozen=True)
class Quote:
    lines: tuple[PricedLine, ...]
    subtotal: Decimal
    discount: Decimal
    total: Decimal
    applied: tuple[AppliedDiscount, ...]
    code_status: str  # "", CODE_APPLIED or the reason the code does not apply


def normalise_code(text: str) -> str:
    """The form every code is stored and compared in: no surrounding spaces, upper case."""
    return text.strip().upper()


def price_basket(
    lines: Sequence[PricingLine], offers: Sequence[OfferRule], context: PricingContext
) -> Quote:
    """Price `lines` with the best exclusive offer plus every stackable one, allocated per line.

    Guarantees: each line has 0 <= total <= price; the line totals add up to `total`; the line
    discounts add up to `discount` (0 <= discount <= subtotal); each applied offer's shares add up
    to its amount; the result does not depend on the order of `offers`.
    """
    prices = [quantize(line.price) for line in lines]
    code = normalise_code(context.entered_code)
    applicable = [
        offer
        for offer in sorted(offers, key=lambda o: o.id)
        if _code_matches(offer, code) and _problem(offer, lines, context) is None
    ]

    left = list(prices)
    shares_by_line: list[list[tuple[int, Decimal]]] = [[] for _ in lines]
    applied: list[AppliedDiscount] = []

    def apply(offer: OfferRule, shares: list[Decimal]) -> None:
        amount = sum(shares, ZERO)
        if amount <= 0:
            return
        applied.append(
            AppliedDiscount(offer_id=offer.id, name=offer.name, amount=amount, code=offer.code)
        )
        for index, share in enumerate(shares):
            if share > 0:
                left[index] -= share
                shares_by_line[index].append((offer.id, share))

    winner: OfferRule | None = None
    winner_shares: list[Decimal] = []
    for offer in (o for o in applicable if not o.stackable):
        shares = _allocate(offer, lines, prices, left)
        # Strictly larger: on a tie the earlier (lower id) offer stays.
        if winner is None or sum(shares, ZERO) > sum(winner_shares, ZERO):
            winner, winner_shares = offer, shares
    if winner is not None:
        apply(winner, winner_shares)
    for offer in (o for o in applicable if o.stackable):
        apply(offer, _allocate(offer, lines, prices, left))

    priced = tuple(
        PricedLine(
            key=line.key,
            price=price,
            discount=price - remaining,
            total=remaining,
            discounts=tuple(shares_by_line[index]),
        )
        for index, (line, price, remaining) in enumerate(zip(lines, prices, left, strict=True))
    )
    subtotal = sum(prices, ZERO)
    total = sum(left, ZERO)
    return Quote(
        lines=priced,
        subtotal=subtotal,
        discount=subtotal - total,
        total=total,
        applied=tuple(applied),
        code_status=_code_status(code, offers, lines, context, winner),
    )


def code_problem(
    offer: OfferRule | None, lines: Sequence[PricingLine], context: PricingContext
) -> str | None:
    """Why the offer the student's code names does not apply to `lines`; None when it does.

    `offer` is the offer holding the entered code, or None when no offer has it.
    """
    if offer is None:
        return CODE_UNKNOWN
    return _problem(offer, lines, context)


# -- internals ----------------------------------------------------------------------------------


def _code_matches(offer: OfferRule, code: str) -> bool:
    return not offer.code or normalise_code(offer.code) == code


def _eligible(offer: OfferRule, lines: Sequence[PricingLine]) -> list[int]:
    """Indices of the lines the offer may discount."""
    return [
        index
        for index, line in enumerate(lines)
        if not offer.teacher_ids or line.teacher_id in offer.teacher_ids
    ]


def _group_size(offer: OfferRule) -> int:
    return (offer.buy_quantity or 0) + (offer.free_quantity or 0)


def _minimum_lessons(offer: OfferRule) -> int:
    if offer.kind == BUY_N_GET_M:
        return max(offer.min_lessons, _group_size(offer))
    return offer.min_lessons


def _problem(offer: OfferRule, lines: Sequence[PricingLine], context: PricingContext) -> str | None:
    """The first reason the offer does not apply, in the order a student would want to hear it."""
    if offer.valid_from is not None and context.now < offer.valid_from:
        return CODE_NOT_YET_VALID
    if offer.valid_until is not None and context.now >= offer.valid_until:
        return CODE_EXPIRED
    if offer.uses_left is not None and offer.uses_left <= 0:
        return CODE_USED_UP
    if offer.uses_left_for_student is not None and offer.uses_left_for_student <= 0:
        return CODE_ALREADY_USED
    if offer.kind == TRIAL_PRICE and context.student_has_paid_lessons:
        return CODE_FIRST_LESSON_ONLY
    if offer.kind not in KINDS:
        return CODE_UNKNOWN
    eligible = _eligible(offer, lines)
    if lines and not eligible:
        return CODE_OTHER_TEACHERS
    minimum = _minimum_lessons(offer)
    if len(eligible) < minimum:
        return code_minimum_message(minimum)
    return None


def _allocate(
    offer: OfferRule,
    lines: Sequence[PricingLine],
    prices: Sequence[Decimal],
    left: Sequence[Decimal],
) -> list[Decimal]:
    """The offer's discount on each line, given what is `left` of every line; 0 <= share <= left."""
    shares = [ZERO] * len(lines)
    eligible = _eligible(offer, lines)
    if not eligible:
        return shares
    if offer.kind == PERCENT:
        rate = min(max(offer.value, ZERO), HUNDRED)
        for index in eligible:
            shares[index] = min(quantize(left[index] * rate / HUNDRED), left[index])
    elif offer.kind == FIXED:
        available = sum((left[index] for index in eligible), ZERO)
        amount = min(quantize(max(offer.value, ZERO)), available)
        parts = split_proportionally(amount, [left[index] for index in eligible])
        for index, part in zip(eligible, parts, strict=True):
            shares[index] = part
    elif offer.kind == BUY_N_GET_M:
        group, free = _group_size(offer), offer.free_quantity or 0
        if group > 0 and free > 0:
            free_count = len(eligible) // group * free
            cheapest = sorted(eligible, key=lambda i: (prices[i], left[i], i))[:free_count]
            for index in cheapest:
                shares[index] = left[index]
    elif offer.kind == TRIAL_PRICE:
        chosen = max(eligible, key=lambda i: (prices[i], left[i], -i))
        shares[chosen] = max(left[chosen] - quantize(max(offer.value, ZERO)), ZERO)
    return shares


def split_proportionally(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `amount` into cents in proportion to `weights` (largest remainder).

    The parts add up to `amount` exactly. When `amount <= sum(weights)` no part exceeds its weight:
    a part only gets a leftover cent when its exact share was not already a whole number of cents,
    i.e. strictly below its weight.
    """
    cents = to_minor_units(amount)
    weight_cents = [to_minor_units(weight) for weight in weights]
    total = sum(weight_cents)
    if cents <= 0 or total <= 0:
        return [ZERO] * len(weights)
    floors, remainders = [], []
    for weight in weight_cents:
        floor, remainder = divmod(cents * weight, total)
        floors.append(floor)
        remainders.append(remainder)
    leftover = cents - sum(floors)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:leftover]:
        floors[index] += 1
    return [from_minor_units(part) for part in floors]


def _code_status(
    code: str,
    offers: Sequence[OfferRule],
    lines: Sequence[PricingLine],
    context: PricingContext,
    winner: OfferRule | None,
) -> str:
    if not code:
        return ""
    # Codes are unique in the database; taking the lowest id keeps the answer order-independent.
    holders = [o for o in offers if o.code and normalise_code(o.code) == code]
    named = min(holders, key=lambda o: o.id, default=None)
    problem = code_problem(named, lines, context)
    if problem is not None:
        return problem
    if named.stackable or (winner is not None and winner.id == named.id):
        return CODE_APPLIED
    return CODE_NOT_COMBINABLE
