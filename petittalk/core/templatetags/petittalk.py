from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from petittalk.core import timefmt
from petittalk.core.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | None) -> str:
    """`{{ price|money }}` -> `€18.00`."""
    return format_money(amount)


@register.simple_tag(takes_context=True)
def local_datetime(context: template.Context, moment: dt.datetime | None) -> str:
    """A time in the viewer's zone, e.g. `{% local_datetime booking.starts_at %}`."""
    if moment is None:
        return ""
    return timefmt.format_datetime(moment, context.get("viewer_timezone"))


@register.simple_tag(takes_context=True)
def active_nav(context: template.Context, prefix: str, exact: bool = False) -> str:
    """`aria-current="page"` for the navigation link whose section the visitor is in."""
    request = context.get("request")
    if request is None:
        return ""
    if request.path == prefix or (not exact and request.path.startswith(prefix)):
        return 'aria-current="page"'
    return ""
