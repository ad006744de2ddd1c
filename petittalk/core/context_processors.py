from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": settings.SITE_NAME,
        # The public address, never the Host header: a forged one must not reach the page, and
        # reading it (request.get_host) raises on an unknown host, even while rendering the 400.
        "site_url": settings.SITE_URL,
        "support_email": settings.SUPPORT_EMAIL,
        "viewer_timezone": getattr(request, "viewer_timezone", "UTC"),
    }
