"""The private calendar feed a calendar app subscribes to, and the button that revokes it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from petittalk.bookings.calendar import calendar_feed_reset, feed_for_token, feed_ics


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """`/calendar/<token>.ics`: no login (calendar apps cannot log in); the token is the key."""
    feed = feed_for_token(token)
    if feed is None:
        raise Http404
    response = HttpResponse(feed_ics(feed.user), content_type="text/calendar; charset=utf-8")
    # Private: the body is one person's lessons, so no shared cache may keep it.
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="petittalk-lessons.ics"'
    # The address is a secret; keep it out of search engines even if it leaks into a page.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


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
