from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from petittalk.core.timefmt import viewer_zone

TIMEZONE_COOKIE = "pt_tz"


class ViewerTimezoneMiddleware:
    """Picks the zone times are shown in: the user's own, else the one their browser reported."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            name = user.timezone
        else:
            # app.js stores encodeURIComponent(zone) ("America%2FNew_York"); viewer_zone
            # decodes it and falls back to UTC for anything that is not a known zone.
            name = request.COOKIES.get(TIMEZONE_COOKIE, "UTC")
        zone = viewer_zone(name)
        request.viewer_timezone = zone.key
        with timezone.override(zone):
            return self.get_response(request)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy: only our own scripts, styles and fonts (no CDN)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        media_origin = f" {settings.MEDIA_ORIGIN}" if settings.MEDIA_ORIGIN else ""
        self.policy = "; ".join(
            [
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self' 'unsafe-inline'",  # inline style attributes only (admin)
                f"img-src 'self' data:{media_origin}",
                f"media-src 'self'{media_origin}",
                "font-src 'self'",
                "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
                "connect-src 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'",
                "base-uri 'self'",
                "object-src 'none'",
            ]
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class RefuseNulInPathMiddleware:
    """A path with a NUL character names nothing here: 404 before any view runs.

    PostgreSQL refuses NUL in text, so an order number or a token captured from such a path
    would otherwise fail deep in a query as a 500. One check here covers every URL pattern.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            raise Http404("No page here.")
        return self.get_response(request)


class PrivateWhenLoggedInMiddleware:
    """A page made for a logged-in person says `Cache-Control: private`, so no proxy or CDN keeps
    it for the next visitor. A view's stricter `no-store` (never_cache) is left as it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "no-store" not in response.get("Cache-Control", "")
        ):
            patch_cache_control(response, private=True)
        return response
