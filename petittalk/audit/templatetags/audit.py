"""How an audit entry's data reads on the staff pages: money via the money format, times via
the one time formatter in the viewer's zone, a before/after pair as "before → after"."""

from __future__ import annotations

import datetime as dt

from django import template

from petittalk.audit.models import MONEY_KEYS, AuditEntry
from petittalk.core.money import format_money
from petittalk.core.timefmt import format_datetime

register = template.Library()


@register.filter
def audit_details(entry: AuditEntry, zone: str) -> list[tuple[str, str]]:
    """`entry.data` as (name, text) pairs, in the order it was recorded."""
    return [(key.replace("_", " "), _text(key, value, zone)) for key, value in entry.data.items()]


def _text(key: str, value: object, zone: str) -> str:
    if isinstance(value, dict) and set(value) == {"before", "after"}:
        return f"{_text(key, value['before'], zone)} → {_text(key, value['after'], zone)}"
    if isinstance(value, list):
        return ", ".join(_text(key, item, zone) for item in value) or "—"
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in MONEY_KEYS:
        return format_money(str(value))
    if isinstance(value, str) and key.startswith("valid_"):
        # Stored as ISO 8601 (the JSON encoder's form of a datetime).
        return format_datetime(dt.datetime.fromisoformat(value), zone)
    return str(value)
