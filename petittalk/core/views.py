from __future__ import annotations

import os
import re
from collections.abc import Iterator

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils._os import safe_join

# Only what the upload checks produce; anything else under MEDIA_ROOT is never served.
SERVABLE_MEDIA_TYPES = {".jpg": "image/jpeg", ".mp4": "video/mp4", ".webm": "video/webm"}


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Local media (demo and single-box deployments). Fixed types, no sniffing, sandboxed.

    Answers byte ranges too, so a browser can seek in an intro video.
    """
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    content_type = SERVABLE_MEDIA_TYPES.get(suffix)
    if content_type is None:
        raise Http404
    try:
        full_path = safe_join(str(settings.MEDIA_ROOT), path)
        handle = open(full_path, "rb")  # noqa: SIM115 - the response closes it
        size = os.fstat(handle.fileno()).st_size
    except (ValueError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise Http404 from exc
    wanted = byte_range(request.headers.get("Range", ""), size)
    if wanted is None:
        response: HttpResponse = FileResponse(handle, content_type=content_type)
    elif wanted == "unsatisfiable":
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        first, last = wanted
        handle.seek(first)
        response = StreamingHttpResponse(
            _read_part(handle, last - first + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response


RANGE = re.compile(r"bytes=(\d*)-(\d*)")
# Larger than any file we serve. Longer numbers are read as this, so `int()` never sees
# thousands of digits (Python refuses to convert more than 4,300).
BEYOND_ANY_FILE = 10**18


def _byte_number(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return BEYOND_ANY_FILE if len(digits) > 18 else int(digits)


def byte_range(header: str, size: int) -> tuple[int, int] | str | None:
    """One `bytes=` range as (first, last) inclusive; None to send everything (no or several
    ranges, or a form we don't read); "unsatisfiable" when it lies outside the file."""
    match = RANGE.fullmatch(header.strip())
    if not match or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:  # "bytes=-500": the last 500 bytes
        length = _byte_number(last)
        if length == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    first_byte = _byte_number(first)
    last_byte = min(_byte_number(last), size - 1) if last else size - 1
    if first_byte >= size or last_byte < first_byte:
        return "unsatisfiable"
    return first_byte, last_byte


def _read_part(handle, length: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while length > 0:
            data = handle.read(min(chunk, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


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
