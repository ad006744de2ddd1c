"""Money is Decimal euros, quantised to cents half-up. Integer minor units only at gateway edges."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
CURRENCY_SYMBOL = "€"


def quantize(amount: Decimal | int | str) -> Decimal:
    """Round to whole cents, half-up (the rule for every line total)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal) -> int:
    return int(quantize(amount) * 100)


def from_minor_units(cents: int) -> Decimal:
    return quantize(Decimal(cents) / 100)


def format_money(amount: Decimal | int | str | None) -> str:
    """`Decimal("18")` -> `€18.00`; negative amounts keep the sign in front: `-€2.50`."""
    if amount is None or amount == "":
        return ""
    value = quantize(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}{CURRENCY_SYMBOL}{abs(value):,.2f}"
