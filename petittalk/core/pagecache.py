"""Whole public pages, cached for visitors who are not logged in.

A page is stored under the versions of the content it shows (core/versions.py), the viewer's
time zone, and its validated query, so a change to that content is seen on the very next
request. Only requests without a session cookie are served from here: they cannot be logged in
and carry no flash messages, so the page is the same for all of them except for the CSRF token.
That token is rendered as a placeholder and replaced per request with the visitor's own.

A logged-in person's own pages (basket, dashboards) are cached for that person only
(`cached_private_page`): the key names the user and the versions of everything the page shows,
their own scope included (core/versions.py), so it is never served to anyone else and never
stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from petittalk.core import content_cache

# Pages change by time alone too (a slot passes its notice, an offer ends): each says when it
# next does; this caps how long any page is kept when it says nothing sooner.
LONGEST = dt.timedelta(minutes=10)
# A longer query string is no page a link of ours makes: served fresh, never stored.
LONGEST_QUERY = 300
# Django's cookie message storage, used before the session one (FallbackStorage).
MESSAGES_COOKIE = "messages"
# The session storage's key (django.contrib.messages.storage.session).
MESSAGES_SESSION_KEY = "_messages"
# A private page says when it next changes by time alone too; kept 5 minutes at most.
LONGEST_PRIVATE = dt.timedelta(minutes=5)
_STORED_HEADERS = {"content-type", "content-language", "vary"}


@dataclass(frozen=True)
class _Page:
    content: bytes
    headers: tuple[tuple[str, str], ...]


def csrf_placeholder() -> str:
    """What the CSRF token renders as in a page to be stored: unguessable, so no text a teacher
    writes in a profile can contain it, and the same in every process (they share pages)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"page-cache-csrf", hashlib.sha256)
    return "csrf-" + digest.hexdigest()[:48]


def is_anonymous_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def cached_public_page(
    request: HttpRequest,
    *,
    name: str,
    content_versions: Callable[[], tuple[int, ...]],
    render: Callable[[], HttpResponse],
    query_names: Iterable[str] = (),
) -> HttpResponse:
    """The response of `render()`, from the cache for visitors who are not logged in.

    `content_versions()` reads the versions of what the page shows (core/versions.py); it may
    raise Http404. It runs only for requests the cache can serve.

    `query_names` are the query parameters the page reads: a request with any other (or an
    over-long query) is rendered fresh and not stored, so made-up URLs cannot fill the cache.
    `render` may set `response.changes_at` (an aware datetime) when the page will next change
    by time alone.
    """
    allowed = set(query_names)
    query = request.META.get("QUERY_STRING", "")
    if (
        not is_anonymous_request(request)
        or len(query) > LONGEST_QUERY
        or not set(request.GET).issubset(allowed)
    ):
        return render()
    key_source = repr(
        (
            content_versions(),
            request.path,
            sorted(request.GET.lists()),
            getattr(request, "viewer_timezone", "UTC"),
            translation.get_language(),
            request.headers.get("HX-Request") == "true",
        )
    )
    key = f"page:{name}:{hashlib.sha256(key_source.encode()).hexdigest()}"
    return _cached(request, key, render, longest=LONGEST)


def cached_private_page(
    request: HttpRequest,
    *,
    name: str,
    content_versions: Callable[[], tuple[int, ...]],
    render: Callable[[], HttpResponse],
    query_names: Iterable[str] = (),
    extra_key: object = None,
) -> HttpResponse:
    """The response of `render()`, from a cache kept for the logged-in user alone.

    `content_versions()` reads the versions of everything the page shows, the user's own scope
    among them. `extra_key` names anything else the page depends on (say, the offer code in the
    session). Requests with flash messages waiting are rendered fresh (the messages show once),
    as are requests with unknown query parameters. `render` must set `response.changes_at`
    when the page changes by time alone; pages are kept LONGEST_PRIVATE at most.
    """
    user = getattr(request, "user", None)
    query = request.META.get("QUERY_STRING", "")
    if (
        user is None
        or not user.is_authenticated
        or request.method not in ("GET", "HEAD")
        or MESSAGES_COOKIE in request.COOKIES
        or MESSAGES_SESSION_KEY in request.session
        or len(query) > LONGEST_QUERY
        or not set(request.GET).issubset(set(query_names))
    ):
        return render()
    key_source = repr(
        (
            user.pk,
            content_versions(),
            extra_key,
            request.path,
            sorted(request.GET.lists()),
            getattr(request, "viewer_timezone", "UTC"),
            translation.get_language(),
            request.headers.get("HX-Request") == "true",
        )
    )
    key = f"private:{name}:{user.pk}:{hashlib.sha256(key_source.encode()).hexdigest()}"
    return _cached(request, key, render, longest=LONGEST_PRIVATE)


def _cached(
    request: HttpRequest, key: str, render: Callable[[], HttpResponse], *, longest: dt.timedelta
) -> HttpResponse:
    page = content_cache.get(key)
    if not isinstance(page, _Page):
        request.csrf_placeholder = csrf_placeholder()
        response = render()
        del request.csrf_placeholder
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        page = _Page(
            content=response.content,
            headers=tuple(
                (header, value)
                for header, value in response.items()
                if header.lower() in _STORED_HEADERS
            ),
        )
        changes_at = getattr(response, "changes_at", None)
        now = timezone.now()
        until = min(changes_at, now + longest) if changes_at else now + longest
        content_cache.put(key, page, seconds=(until - now).total_seconds())
    return _serve(request, page)


def _serve(request: HttpRequest, page: _Page) -> HttpResponse:
    # get_token also makes the CSRF middleware set the visitor's cookie if they have none yet.
    content = page.content.replace(csrf_placeholder().encode(), get_token(request).encode())
    response = HttpResponse(content)
    for header, value in page.headers:
        response[header] = value
    return response
