"""A per-view widening of the site's Content-Security-Policy, for the Stripe checkout page only.

Stripe.js must load from js.stripe.com (it may not be bundled or self-hosted), so the one page
that shows the Payment Element lets it in; every other page keeps the strict policy. The
middleware sets the site policy with `setdefault`, so the header set here wins.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from petittalk.core.middleware import SecurityHeadersMiddleware

# The one external script on the site (the template includes exactly this URL).
STRIPE_JS_URL = "https://js.stripe.com/v3/"

# What Stripe's integration security guide lists for Stripe.js and the Payment Element:
# the script and its helper frames (including 3-D Secure pages on hooks.stripe.com), its API
# calls, and the images it draws. The Address Element's Google Maps origins are left out: we
# don't use it.
STRIPE_SOURCES: dict[str, tuple[str, ...]] = {
    "script-src": ("https://js.stripe.com", "https://*.js.stripe.com"),
    "frame-src": ("https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"),
    "connect-src": ("https://api.stripe.com",),
    "img-src": ("https://*.stripe.com",),
}


def site_policy() -> str:
    """The policy every page gets (built by the middleware from the current settings)."""
    return SecurityHeadersMiddleware(lambda request: HttpResponse()).policy


def widen_policy(policy: str, extra: dict[str, tuple[str, ...]]) -> str:
    """`policy` with `extra` sources appended to their directives (added when missing)."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0].lower()] = tokens[1:]
    for name, sources in extra.items():
        current = directives.setdefault(name, [])
        if current == ["'none'"]:
            current.clear()
        current.extend(source for source in sources if source not in current)
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def allow_stripe_js(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let this view's Stripe page load Stripe.js and the Payment Element.

    Only a response that actually includes Stripe.js is widened: the checkout view also answers
    with the billing form and with redirects, and those keep the site's strict policy.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not response.streaming and STRIPE_JS_URL.encode() in response.content:
            response["Content-Security-Policy"] = widen_policy(site_policy(), STRIPE_SOURCES)
        return response

    return wrapped
