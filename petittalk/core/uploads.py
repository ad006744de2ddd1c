"""Safe handling of user uploads: photos, short videos and video links.

Every upload is treated as hostile. Images are fully decoded and re-encoded, so whatever
reaches storage is pixels we produced ourselves, never the bytes the user sent. Videos
cannot be re-encoded cheaply here, so they are sniffed by magic bytes instead. Stored
names are always random so a user cannot choose a path, an extension or a guessable URL.
"""

from __future__ import annotations

import io
import os
import re
import struct
import uuid
import warnings
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps


class UploadRejected(ValueError):
    """An upload we refuse; the message is a sentence that can be shown to the user."""


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded photo and its square thumbnail, both ready to hand to a storage."""

    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


# --- shared ------------------------------------------------------------------------------------

# Markup or script inside an "image" or "video" means someone built a polyglot: a file that
# one program reads as media and a browser may read as a page. No real photo needs these.
MARKUP_SIGNATURES: tuple[bytes, ...] = (
    b"<script",
    b"<html",
    b"<!doctype",
    b"<svg",
    b"<?php",
    b"<iframe",
    b"<body",
    b"javascript:",
    b"<?xml",
)


# Tag-like signatures only count when followed by a byte that ends a tag name, as in the
# WHATWG MIME-sniffing rules browsers use. Compressed pixel data is close to random, so a
# bare "<svg" turns up in roughly 1 in 100 large photos; requiring a terminator makes that
# false positive ~40x rarer while every real tag ("<svg ", "<script>", "<svg/") still matches.
_MARKUP_RE = re.compile(
    b"|".join(
        re.escape(sig) + (b"" if sig.endswith(b":") else rb"[\s/>]") for sig in MARKUP_SIGNATURES
    ),
    re.IGNORECASE,
)


def _contains_markup(data: bytes) -> bool:
    """True if any markup/script signature appears in ``data`` (case-insensitive)."""
    return _MARKUP_RE.search(data) is not None


def _human_size(num_bytes: int) -> str:
    """Format a byte limit for people: 5242880 -> "5 MB", 1536 -> "1.5 KB"."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if num_bytes >= factor:
            return f"{num_bytes / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{num_bytes} bytes"


def _declared_size(upload: File) -> int | None:
    """The size the upload claims, or None when Django cannot work it out."""
    try:
        return upload.size
    except (AttributeError, OSError):
        return None


def _rewind(upload: File) -> None:
    """Put the read position back to the start so later readers see the whole file."""
    if hasattr(upload, "seek"):
        upload.seek(0)


def _random_stem() -> str:
    """A fresh random file stem; never derived from anything the user sent."""
    return uuid.uuid4().hex


# --- images ------------------------------------------------------------------------------------

ALLOWED_IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
# MPO is how Pillow labels JPEGs carrying extra pictures (many phone cameras write them).
# On disk it is a JPEG, so it gets the same treatment, trailing-data check included.
JPEG_LIKE_FORMATS = frozenset({"JPEG", "MPO"})
MIN_IMAGE_SIDE = 200
MAX_IMAGE_SIDE = 6000
# Our own pixel limit, checked on the header before any decoding. Pillow's global
# Image.MAX_IMAGE_PIXELS is shared by the whole process, so we don't change it.
MAX_IMAGE_PIXELS = 40_000_000
MAX_STORED_SIDE = 1600
THUMBNAIL_SIZE = (320, 320)
JPEG_QUALITY = 85
# Some encoders pad after the JPEG end marker; allow a little, but never a payload.
MAX_JPEG_PADDING = 16
PADDING_BYTES = b"\x00 \t\r\n"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

MSG_IMAGE_EMPTY = "This image file is empty."
MSG_IMAGE_UNREADABLE = "This file is not an image we can read. Upload a JPEG, PNG or WebP photo."
MSG_IMAGE_FORMAT = "This image type is not accepted. Upload a JPEG, PNG or WebP photo."
MSG_IMAGE_POLYGLOT = "This image contains hidden code and was refused."
MSG_IMAGE_TOO_SMALL = (
    f"The image is too small. It must be at least {MIN_IMAGE_SIDE} x {MIN_IMAGE_SIDE} pixels."
)
MSG_IMAGE_TOO_LARGE = (
    f"The image is too large. It must be at most {MAX_IMAGE_SIDE} x {MAX_IMAGE_SIDE} pixels."
)


def _image_too_big_message(max_bytes: int) -> str:
    return f"The image is larger than {_human_size(max_bytes)}."


def _read_capped(upload: File, max_bytes: int, too_big_message: str) -> bytes:
    """Read at most ``max_bytes + 1`` bytes, refusing the upload if there is more.

    ``upload.size`` comes from the client or the upload handler, so it is only a cheap
    first check; the bytes actually read are what decides.
    """
    _rewind(upload)
    data = upload.read(max_bytes + 1)
    _rewind(upload)
    if len(data) > max_bytes:
        raise UploadRejected(too_big_message)
    return data


def _jpeg_end(data: bytes) -> int | None:
    """Offset just past the last end-of-image marker, or None if there is none."""
    marker = data.rfind(b"\xff\xd9")
    return None if marker == -1 else marker + 2


def _png_end(data: bytes) -> int | None:
    """Offset just past the IEND chunk's CRC, or None if the chunks never reach IEND."""
    offset = len(PNG_SIGNATURE)
    while offset + 8 <= len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        chunk_type = data[offset + 4 : offset + 8]
        offset += 12 + length  # 4 bytes length + 4 bytes type + data + 4 bytes CRC
        if chunk_type == b"IEND":
            return offset
    return None


def _webp_end(data: bytes) -> int | None:
    """Offset where the RIFF container says the file ends."""
    if len(data) < 12:
        return None
    (riff_size,) = struct.unpack("<I", data[4:8])
    return 8 + riff_size


def _check_image_end(data: bytes, image_format: str) -> None:
    """Refuse bytes after the image's own end: the classic place to hide a second file.

    A file that never reaches its end marker is truncated (or is hiding a payload where
    the marker should be); either way it is not an image we accept.
    """
    if image_format in JPEG_LIKE_FORMATS:
        end, padding = _jpeg_end(data), MAX_JPEG_PADDING
    elif image_format == "PNG":
        end, padding = _png_end(data), 0
    else:
        end, padding = _webp_end(data), 1  # RIFF may pad an odd-sized file with one byte
    if end is None or end > len(data):
        raise UploadRejected(MSG_IMAGE_UNREADABLE)
    tail = data[end:]
    if len(tail) > padding or tail.strip(PADDING_BYTES):
        raise UploadRejected(MSG_IMAGE_POLYGLOT)


def _open_image(data: bytes) -> Image.Image:
    """Open ``data`` with Pillow, turning bomb warnings into errors for this call only."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _check_image_header(data: bytes) -> None:
    """Identify, size-check and verify the image without decoding its pixels."""
    try:
        img = _open_image(data)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRejected(MSG_IMAGE_TOO_LARGE) from exc
    except Exception as exc:  # Pillow raises many types for malformed input
        raise UploadRejected(MSG_IMAGE_UNREADABLE) from exc

    with img:
        image_format = img.format or ""
        if image_format not in ALLOWED_IMAGE_FORMATS | JPEG_LIKE_FORMATS:
            raise UploadRejected(MSG_IMAGE_FORMAT)
        width, height = img.size
        # Checked before decoding: a tiny file can declare a gigantic canvas.
        if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
            raise UploadRejected(MSG_IMAGE_TOO_LARGE)
        if width < MIN_IMAGE_SIDE or height < MIN_IMAGE_SIDE:
            raise UploadRejected(MSG_IMAGE_TOO_SMALL)
        try:
            img.verify()
        except Exception as exc:
            raise UploadRejected(MSG_IMAGE_UNREADABLE) from exc

    _check_image_end(data, image_format)


def _decode_image(data: bytes) -> Image.Image:
    """Fully decode the pixels; verify() does not, and a file can pass it and still fail."""
    try:
        img = _open_image(data)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRejected(MSG_IMAGE_TOO_LARGE) from exc
    except Exception as exc:
        raise UploadRejected(MSG_IMAGE_UNREADABLE) from exc
    return img


def _to_clean_rgb(img: Image.Image) -> Image.Image:
    """Upright, at most MAX_STORED_SIDE, RGB on white, and with no metadata at all."""
    # Phones store rotation in EXIF; apply it now because we are about to drop EXIF.
    img = ImageOps.exif_transpose(img)
    has_alpha = img.has_transparency_data
    # Convert before resizing: palette images would otherwise be resized with NEAREST.
    img = img.convert("RGBA" if has_alpha else "RGB")
    img.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE), Image.Resampling.LANCZOS)
    # Paste onto a brand-new canvas: it flattens alpha on white and, because the canvas has
    # an empty .info, no EXIF, ICC profile, comment or XMP can be carried into the output.
    canvas = Image.new("RGB", img.size, (255, 255, 255))
    canvas.paste(img, mask=img.getchannel("A") if has_alpha else None)
    return canvas


def _encode_jpeg(img: Image.Image) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def clean_image_upload(upload: UploadedFile | File, *, max_bytes: int | None = None) -> CleanImage:
    """Validate an uploaded photo and return a re-encoded JPEG plus a 320x320 thumbnail.

    Raises UploadRejected (with a user-facing message) for empty, oversize, unreadable,
    disallowed, too small/too large images and for files hiding markup or trailing data.
    """
    limit = settings.IMAGE_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    too_big = _image_too_big_message(limit)

    declared = _declared_size(upload)
    if declared is not None and declared > limit:
        raise UploadRejected(too_big)
    data = _read_capped(upload, limit, too_big)
    if not data:
        raise UploadRejected(MSG_IMAGE_EMPTY)

    # Re-encoding already destroys any payload; refusing as well means a polyglot is never
    # stored, and the attempt is visible rather than silently "cleaned".
    if _contains_markup(data):
        raise UploadRejected(MSG_IMAGE_POLYGLOT)

    _check_image_header(data)
    with _decode_image(data) as decoded:
        clean = _to_clean_rgb(decoded)

    thumbnail = ImageOps.fit(
        clean, THUMBNAIL_SIZE, method=Image.Resampling.LANCZOS, centering=(0.5, 0.5)
    )
    stem = _random_stem()
    return CleanImage(
        image=ContentFile(_encode_jpeg(clean), name=f"{stem}.jpg"),
        thumbnail=ContentFile(_encode_jpeg(thumbnail), name=f"{stem}_thumb.jpg"),
        width=clean.width,
        height=clean.height,
    )


# --- videos ------------------------------------------------------------------------------------

VIDEO_SNIFF_BYTES = 64 * 1024
# Only brands that mean "video in an MP4/QuickTime container"; audio-only M4A is not here.
MP4_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"M4V ",
        b"dash",
        b"qt  ",
    }
)
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
VIDEO_EXTENSIONS = {"mp4": frozenset({".mp4", ".m4v"}), "webm": frozenset({".webm"})}
VIDEO_LABELS = {"mp4": "an MP4", "webm": "a WebM"}

MSG_VIDEO_EMPTY = "This video file is empty."
MSG_VIDEO_UNKNOWN = "This file is not a video we accept. Upload an MP4 or WebM video."
MSG_VIDEO_POLYGLOT = "This video contains hidden code and was refused."


def _video_too_big_message(max_bytes: int) -> str:
    return f"The video is larger than {_human_size(max_bytes)}."


def _sniff_video(head: bytes) -> str | None:
    """Return "mp4" or "webm" from the first bytes of the file, or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return "mp4"
    if head.startswith(EBML_MAGIC) and b"webm" in head[:64]:
        return "webm"
    return None


def _count_bytes(upload: File, limit: int) -> int:
    """Count the real size chunk by chunk, stopping as soon as it passes ``limit``."""
    total = 0
    for chunk in upload.chunks():
        total += len(chunk)
        if total > limit:
            break
    return total


def clean_video_upload(
    upload: UploadedFile | File, *, max_bytes: int | None = None
) -> ContentFile | File:
    """Validate an uploaded MP4/WebM video and return it under a random name.

    The content is not copied: the returned File wraps the upload, rewound to the start.
    Raises UploadRejected for empty, oversize, unrecognised or mislabelled files and for
    files with markup in their first 64 KB.
    """
    limit = settings.VIDEO_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    too_big = _video_too_big_message(limit)

    declared = _declared_size(upload)
    if declared is not None and declared > limit:
        raise UploadRejected(too_big)

    _rewind(upload)
    head: bytes = upload.read(VIDEO_SNIFF_BYTES)
    if not head:
        raise UploadRejected(MSG_VIDEO_EMPTY)
    if _contains_markup(head):
        raise UploadRejected(MSG_VIDEO_POLYGLOT)

    kind = _sniff_video(head)
    if kind is None:
        raise UploadRejected(MSG_VIDEO_UNKNOWN)

    # A mismatched extension means the file is mislabelled (or disguised); browsers and
    # storages use the extension to pick a content type, so it must tell the truth.
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in VIDEO_EXTENSIONS[kind]:
        expected = f".{kind}"
        raise UploadRejected(
            f"This file is {VIDEO_LABELS[kind]} video but its name does not end in {expected}. "
            f"Rename it to {expected} and try again."
        )

    if _count_bytes(upload, limit) > limit:
        raise UploadRejected(too_big)

    _rewind(upload)
    return File(upload, name=f"{_random_stem()}.{kind}")


# --- video links -------------------------------------------------------------------------------

YOUTUBE_HOSTS = frozenset(
    {
        "youtube.com",
        "www.youtube.com",
        "m.youtube.com",
        "youtube-nocookie.com",
        "www.youtube-nocookie.com",
    }
)
YOUTU_BE_HOSTS = frozenset({"youtu.be"})
VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com"})
VIMEO_PLAYER_HOSTS = frozenset({"player.vimeo.com"})
# Explicit ASCII classes: \d and \w would also match non-ASCII digits and letters.
YOUTUBE_ID_RE = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_ID_RE = re.compile(r"[0-9]{1,12}")
MAX_LINK_LENGTH = 2048

MSG_LINK = "Use a YouTube or Vimeo link."


def _youtube_id(host: str, path: str, query: str) -> str | None:
    if host in YOUTU_BE_HOSTS:
        return path.removeprefix("/")
    if path == "/watch":
        values = parse_qs(query).get("v", [])
        return values[0] if len(values) == 1 else None
    for prefix in ("/embed/", "/shorts/"):
        if path.startswith(prefix):
            return path.removeprefix(prefix)
    return None


def _vimeo_id(host: str, path: str) -> str | None:
    if host in VIMEO_PLAYER_HOSTS:
        return path.removeprefix("/video/") if path.startswith("/video/") else None
    return path.removeprefix("/")


def normalise_video_link(url: str) -> str:
    """Turn a YouTube or Vimeo page/share/embed link into its canonical embed URL.

    The result is rebuilt from a regex-validated ID, so nothing else from the user's URL
    (query, fragment, credentials, odd characters) ever reaches an iframe ``src``.
    """
    url = url.strip()
    if not url or len(url) > MAX_LINK_LENGTH:
        raise UploadRejected(MSG_LINK)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UploadRejected(MSG_LINK) from exc
    # Exact host matching (no endswith/contains) keeps out youtube.com.evil.com and friends.
    host = parts.hostname or ""
    if parts.scheme != "https" or parts.username or parts.password or port not in (None, 443):
        raise UploadRejected(MSG_LINK)

    path = parts.path.rstrip("/") if parts.path != "/" else parts.path
    if host in YOUTUBE_HOSTS | YOUTU_BE_HOSTS:
        video_id = _youtube_id(host, path, parts.query)
        if video_id and YOUTUBE_ID_RE.fullmatch(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host in VIMEO_HOSTS | VIMEO_PLAYER_HOSTS:
        video_id = _vimeo_id(host, path)
        if video_id and VIMEO_ID_RE.fullmatch(video_id):
            return f"https://player.vimeo.com/video/{video_id}"
    raise UploadRejected(MSG_LINK)
