"""The subscriber list as CSV rows, safe to open in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from petittalk.newsletter.models import Subscriber

HEADER = ["email", "status", "subscribed", "confirmed", "unsubscribed"]
# A cell starting with one of these is run as a formula by spreadsheet apps (CSV injection);
# a leading apostrophe makes it text. Tab and carriage return start formulas in some apps too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _when(moment) -> str:
    return moment.isoformat() if moment else ""


def subscriber_rows(subscribers: Iterable[Subscriber]) -> Iterator[list[str]]:
    yield HEADER
    for subscriber in subscribers:
        yield [
            safe_cell(value)
            for value in (
                subscriber.email,
                subscriber.status,
                _when(subscriber.created_at),
                _when(subscriber.confirmed_at),
                _when(subscriber.unsubscribed_at),
            )
        ]
