"""The private calendar feed a calendar app subscribes to, and the button that revokes it."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_POST, require_safe

from petittalk.bookings.calendar import (
    calendar_feed_reset,
    feed_for_token,
    feed_ics_and_last_modified,
)


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """`/calendar/<token>.ics`: no login (calendar apps cannot log in); the token is the key.

    Calendar apps poll it about hourly: the ETag (a hash of the file, which only changes when a
    lesson does) and Last-Modified let them ask "changed?" and get an empty 304 when not.
    """
    feed = feed_for_token(token)
    if feed is None:
        raise Http404
    ics, last_modified = feed_ics_and_last_modified(feed.user)
    etag = f'"{hashlib.sha256(ics).hexdigest()[:32]}"'
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    # Private: the body is one person's lessons, so no shared cache may keep it.
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="petittalk-lessons.ics"'
    # The address is a secret; keep it out of search engines even if it leaks into a page.
    response["X-Robots-Tag"] = "noindex, nofollow"
    if request.method == "HEAD":
        # The headers a GET would have, without the body.
        response["Content-Length"] = str(len(ics))
        response.content = b""
    return (
        get_conditional_response(
            request,
            etag=etag,
            last_modified=last_modified.timestamp() if last_modified else None,
            response=response,
        )
        or response
    )


@login_required
@require_POST
def calendar_feed_reset_view(request: HttpRequest) -> HttpResponse:
    """Give the user a new feed address; whoever held the old one can no longer read it."""
    calendar_feed_reset(request.user)
    messages.success(
        request,
        "Your calendar link is new and the old one no longer works. "
        "Add the new link to your calendar app.",
    )
    return redirect("accounts:settings")
