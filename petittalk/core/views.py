from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils._os import safe_join

# Only what the upload checks produce; anything else under MEDIA_ROOT is never served.
SERVABLE_MEDIA_TYPES = {".jpg": "image/jpeg", ".mp4": "video/mp4", ".webm": "video/webm"}


def serve_media(request: HttpRequest, path: str) -> FileResponse:
    """Local media (demo and single-box deployments). Fixed types, no sniffing, sandboxed."""
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    content_type = SERVABLE_MEDIA_TYPES.get(suffix)
    if content_type is None:
        raise Http404
    try:
        full_path = safe_join(str(settings.MEDIA_ROOT), path)
        handle = open(full_path, "rb")  # noqa: SIM115 - FileResponse closes it
    except (ValueError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors: whatever broke may be what they depend on.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without a valid security token (an old tab, cookies blocked...)."""
    return render(
        request,
        "403.html",
        {"reason": "Your form had expired. Please go back, reload the page and try again."},
        status=403,
    )
