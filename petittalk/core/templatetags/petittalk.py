from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe

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
        # A constant, marked safe: escaped, its quotes became part of the value (`"page"`), so
        # the CSS never marked the current tab.
        return mark_safe('aria-current="page"')
    return ""


@register.simple_tag(takes_context=True)
def local_time(context: template.Context, moment: dt.datetime | None) -> str:
    """`09:00`: the clock time of a moment in the viewer's zone."""
    if moment is None:
        return ""
    return timefmt.format_time(moment, context.get("viewer_timezone"))


@register.simple_tag(takes_context=True)
def local_date(context: template.Context, moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return timefmt.format_date(moment, context.get("viewer_timezone"))


@register.filter
def time_in(moment: dt.datetime | None, zone) -> str:
    """`{{ slot|time_in:teacher_zone }}`: the clock time of a moment in another person's zone."""
    if moment is None:
        return ""
    return timefmt.format_time(moment, str(zone))


@register.filter
def datetime_in(moment: dt.datetime | None, zone) -> str:
    if moment is None:
        return ""
    return timefmt.format_datetime(moment, str(zone))


@register.filter
def iso_utc(moment: dt.datetime | None) -> str:
    """A moment as `2026-03-29T07:00:00Z`, the form the booking links carry."""
    if moment is None:
        return ""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
