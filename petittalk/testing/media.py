"""Small real media files made in memory for tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw


def photo_upload(name: str = "me.jpg", *, size: tuple[int, int] = (480, 400), fmt: str = "JPEG"):
    image = Image.new("RGB", size, (240, 200, 160))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 16):
        draw.line([(x, 0), (size[0] - x, size[1])], fill=(40, 60, 120), width=3)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def mp4_upload(name: str = "intro.mp4") -> SimpleUploadedFile:
    # ftyp box (isom) followed by an empty mdat box: enough for the signature check.
    data = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08mdat"
    return SimpleUploadedFile(name, data, content_type="video/mp4")
