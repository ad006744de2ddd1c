from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    context: dict[str, object] = {
        "site_name": settings.SITE_NAME,
        # The public address, never the Host header: a forged one must not reach the page, and
        # reading it (request.get_host) raises on an unknown host, even while rendering the 400.
        "site_url": settings.SITE_URL,
        "support_email": settings.SUPPORT_EMAIL,
        "viewer_timezone": getattr(request, "viewer_timezone", "UTC"),
    }
    placeholder = getattr(request, "csrf_placeholder", None)
    if placeholder:
        # A page rendered to be shared (core/pagecache.py): each visitor's own token goes in
        # when it is served. This runs after Django's own csrf processor, so it wins.
        context["csrf_token"] = placeholder
    return context
