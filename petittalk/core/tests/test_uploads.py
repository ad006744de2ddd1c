"""Tests for petittalk.core.uploads: every hostile-upload rule has a test that breaks without it."""

from __future__ import annotations

import io
import re
import struct
import warnings
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from petittalk.core.uploads import (
    UploadRejected,
    clean_image_upload,
    clean_video_upload,
    normalise_video_link,
)

RANDOM_JPG = re.compile(r"[0-9a-f]{32}\.jpg")
RANDOM_THUMB = re.compile(r"[0-9a-f]{32}_thumb\.jpg")


# --- helpers -----------------------------------------------------------------------------------


def make_image(size: tuple[int, int] = (400, 300), mode: str = "RGB") -> Image.Image:
    """A gradient with noise, so encoders produce realistic, non-trivial output."""
    width, height = size
    gradient = Image.linear_gradient("L").resize(size)
    noise = Image.effect_noise(size, 64)
    channels = {"R": gradient, "G": noise, "B": gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)}
    img = Image.merge("RGB", (channels["R"], channels["G"], channels["B"]))
    if mode == "RGBA":
        alpha = Image.new("L", size, 255)
        alpha.paste(0, (0, 0, width // 2, height))  # left half fully transparent
        img.putalpha(alpha)
    return img


def image_bytes(fmt: str, img: Image.Image | None = None, **save_kwargs) -> bytes:
    buffer = io.BytesIO()
    (img or make_image()).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_chunk(chunk_type: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(chunk_type + data)
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", crc)


def png_claiming_size(width: int, height: int) -> bytes:
    """A structurally valid, few-hundred-byte PNG whose header declares width x height.

    Only the first rows of pixel data exist, so decoding it fails; for huge sizes the point
    is that the header alone must be enough to refuse it, before any pixel is allocated.
    """
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    # Sync-flushed, never finished: the stream stops after four rows, as a cut-off file would.
    compressor = zlib.compressobj()
    idat = compressor.compress(row * 4) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def reject_message(func, *args, **kwargs) -> str:
    with pytest.raises(UploadRejected) as excinfo:
        func(*args, **kwargs)
    return str(excinfo.value)


def mp4_bytes(brand: bytes = b"mp42", size: int = 2048) -> bytes:
    ftyp = b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x00\x00" + b"isommp42"
    mdat_payload = bytes(range(256)) * (size // 256)
    return ftyp + struct.pack(">I", 8 + len(mdat_payload)) + b"mdat" + mdat_payload


def webm_bytes() -> bytes:
    # EBML header: EBMLVersion, ReadVersion, MaxIDLength, MaxSizeLength, DocType "webm", ...
    header_body = (
        b"\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
        b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02"
    )
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(header_body)]) + header_body + b"\x00" * 1024


# --- images: accepted --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name"), [("JPEG", "photo.jpg"), ("PNG", "photo.png"), ("WEBP", "photo.webp")]
)
def test_good_image_is_reencoded_as_jpeg_with_random_name(fmt, name):
    result = clean_image_upload(upload(image_bytes(fmt), name=name))

    assert RANDOM_JPG.fullmatch(result.image.name)
    assert name not in result.image.name
    with Image.open(io.BytesIO(result.image.read())) as out:
        assert out.format == "JPEG"
        assert out.mode == "RGB"
        assert out.size == (400, 300) == (result.width, result.height)


def test_reencoded_jpeg_is_progressive():
    result = clean_image_upload(upload(image_bytes("JPEG")))
    with Image.open(io.BytesIO(result.image.read())) as out:
        assert out.info.get("progressive") or out.info.get("progression")


def test_thumbnail_is_320_square_jpeg_named_after_the_image():
    result = clean_image_upload(upload(image_bytes("JPEG")))

    assert RANDOM_THUMB.fullmatch(result.thumbnail.name)
    assert result.thumbnail.name.startswith(result.image.name.removesuffix(".jpg"))
    with Image.open(io.BytesIO(result.thumbnail.read())) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size == (320, 320)


def test_two_uploads_of_the_same_file_get_different_names():
    data = image_bytes("JPEG")
    assert (
        clean_image_upload(upload(data)).image.name != clean_image_upload(upload(data)).image.name
    )


def test_exif_gps_icc_and_comment_are_stripped():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}  # GPS IFD
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = image_bytes("JPEG", exif=exif, icc_profile=icc, comment=b"taken at home")
    assert b"SpyCam" in data and b"taken at home" in data  # the input really has them

    out_bytes = clean_image_upload(upload(data)).image.read()

    with Image.open(io.BytesIO(out_bytes)) as out:
        assert not out.getexif()
        assert "exif" not in out.info
        assert "icc_profile" not in out.info
        assert "comment" not in out.info
    assert b"SpyCam" not in out_bytes
    assert b"taken at home" not in out_bytes


def test_exif_orientation_is_applied_before_it_is_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    data = image_bytes("JPEG", exif=exif)  # stored 400x300, displayed 300x400

    result = clean_image_upload(upload(data))

    assert (result.width, result.height) == (300, 400)


def test_png_alpha_is_flattened_on_white():
    data = image_bytes("PNG", make_image(mode="RGBA"))

    result = clean_image_upload(upload(data, name="logo.png"))

    with Image.open(io.BytesIO(result.image.read())) as out:
        assert out.mode == "RGB"
        red, green, blue = out.getpixel((10, 150))  # inside the transparent half
        assert min(red, green, blue) > 245


def test_large_image_is_downscaled_to_1600_on_the_longest_side():
    data = image_bytes("JPEG", make_image((3200, 1000)))

    result = clean_image_upload(upload(data))

    assert (result.width, result.height) == (1600, 500)


def test_phone_mpo_jpeg_is_accepted():
    img = make_image()
    data = image_bytes("MPO", img, save_all=True, append_images=[make_image()])
    with Image.open(io.BytesIO(data)) as check:
        assert check.format == "MPO"

    result = clean_image_upload(upload(data))

    assert RANDOM_JPG.fullmatch(result.image.name)


def test_default_limit_comes_from_settings(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000

    message = reject_message(clean_image_upload, upload(image_bytes("JPEG")))

    assert message == "The image is larger than 1000 bytes."


# --- images: refused ---------------------------------------------------------------------------


def test_empty_image_is_refused():
    assert reject_message(clean_image_upload, upload(b"")) == "This image file is empty."


def test_oversize_image_is_refused_with_the_limit_in_the_message():
    data = image_bytes("JPEG")

    message = reject_message(clean_image_upload, upload(data), max_bytes=2048)

    assert message == "The image is larger than 2 KB."


def test_default_limit_message_says_5_mb(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    too_big = upload(image_bytes("JPEG"))
    too_big.size = 6 * 1024 * 1024  # refused on the declared size, before reading

    assert reject_message(clean_image_upload, too_big) == "The image is larger than 5 MB."


def test_oversize_image_with_lying_size_is_refused():
    data = image_bytes("JPEG")
    liar = upload(data)
    liar.size = 10

    message = reject_message(clean_image_upload, liar, max_bytes=len(data) - 1)

    assert message.startswith("The image is larger than")


def test_non_image_bytes_named_jpg_are_refused():
    message = reject_message(clean_image_upload, upload(b"just some text, not a photo" * 50))

    assert message == "This file is not an image we can read. Upload a JPEG, PNG or WebP photo."


def test_truncated_jpeg_is_refused():
    data = image_bytes("JPEG")

    message = reject_message(clean_image_upload, upload(data[: len(data) // 3]))

    assert message == "This file is not an image we can read. Upload a JPEG, PNG or WebP photo."


def test_jpeg_without_end_marker_hiding_appended_data_is_refused():
    # Pillow decodes this happily (every scan is complete), so only the end check catches it.
    data = image_bytes("JPEG").removesuffix(b"\xff\xd9") + b"PK\x03\x04 hidden archive" * 4

    message = reject_message(clean_image_upload, upload(data))

    assert message.startswith("This file is not an image we can read.")


def test_html_file_is_refused():
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

    message = reject_message(clean_image_upload, upload(html, name="photo.jpg"))

    assert message == "This image contains hidden code and was refused."


def test_jpeg_with_appended_script_is_refused():
    data = image_bytes("JPEG") + b"<script>alert(1)</script>"

    message = reject_message(clean_image_upload, upload(data))

    assert message == "This image contains hidden code and was refused."


@pytest.mark.parametrize(
    "payload",
    [b"<HTML><body>hi</body></html>", b"<svg onload=alert(1)>", b"<?php system($_GET[0]); ?>"],
)
def test_jpeg_with_markup_in_comment_segment_is_refused(payload):
    data = image_bytes("JPEG", comment=payload)
    assert payload in data

    message = reject_message(clean_image_upload, upload(data))

    assert message == "This image contains hidden code and was refused."


def test_jpeg_with_markup_in_exif_is_refused():
    exif = Image.Exif()
    exif[0x010E] = "<iframe src=javascript:alert(1)>"  # ImageDescription
    data = image_bytes("JPEG", exif=exif)

    message = reject_message(clean_image_upload, upload(data))

    assert message == "This image contains hidden code and was refused."


def test_jpeg_with_non_markup_trailing_data_is_refused():
    data = image_bytes("JPEG") + b"PK\x03\x04 zip archive hiding here" * 4

    message = reject_message(clean_image_upload, upload(data))

    assert message == "This image contains hidden code and was refused."


def test_jpeg_with_a_few_non_padding_bytes_after_the_end_is_refused():
    data = image_bytes("JPEG") + b"PK\x03\x04<%"  # short enough to pass as padding by length

    message = reject_message(clean_image_upload, upload(data))

    assert message == "This image contains hidden code and was refused."


def test_jpeg_with_a_little_zero_padding_is_accepted():
    data = image_bytes("JPEG") + b"\x00" * 8

    assert RANDOM_JPG.fullmatch(clean_image_upload(upload(data)).image.name)


def test_png_with_data_after_iend_is_refused():
    data = image_bytes("PNG") + b"PK\x03\x04 hidden archive"

    message = reject_message(clean_image_upload, upload(data, name="photo.png"))

    assert message == "This image contains hidden code and was refused."


def test_webp_with_data_after_riff_is_refused():
    data = image_bytes("WEBP") + b"PK\x03\x04 hidden archive"

    message = reject_message(clean_image_upload, upload(data, name="photo.webp"))

    assert message == "This image contains hidden code and was refused."


def test_png_with_incomplete_pixel_data_is_refused():
    # Chunks, CRCs and IEND are all valid, so only a full decode notices rows are missing.
    data = png_claiming_size(300, 300)

    message = reject_message(clean_image_upload, upload(data, name="photo.png"))

    assert message.startswith("This file is not an image we can read.")


def test_png_with_bad_pixel_data_checksum_is_refused():
    data = bytearray(image_bytes("PNG"))
    idat = data.index(b"IDAT")
    (length,) = struct.unpack(">I", data[idat - 4 : idat])
    data[idat + 4 + length] ^= 0xFF  # corrupt the IDAT CRC; the pixel data itself is intact

    message = reject_message(clean_image_upload, upload(bytes(data), name="photo.png"))

    assert message.startswith("This file is not an image we can read.")


@pytest.mark.parametrize(("fmt", "name"), [("GIF", "anim.gif"), ("BMP", "scan.bmp")])
def test_image_formats_other_than_jpeg_png_webp_are_refused(fmt, name):
    message = reject_message(clean_image_upload, upload(image_bytes(fmt), name=name))

    assert message == "This image type is not accepted. Upload a JPEG, PNG or WebP photo."


@pytest.mark.parametrize("size", [(50, 50), (199, 400), (400, 199)])
def test_image_smaller_than_200_px_is_refused(size):
    data = image_bytes("PNG", make_image(size))

    message = reject_message(clean_image_upload, upload(data, name="tiny.png"))

    assert message.startswith("The image is too small.")


def test_exactly_200_px_image_is_accepted():
    result = clean_image_upload(upload(image_bytes("PNG", make_image((200, 200)))))

    assert (result.width, result.height) == (200, 200)


@pytest.mark.parametrize("size", [(6001, 300), (300, 6001)])
def test_image_wider_or_taller_than_6000_px_is_refused(size):
    message = reject_message(clean_image_upload, upload(png_claiming_size(*size)))

    assert message.startswith("The image is too large.")


def test_huge_png_header_decompression_bomb_is_refused():
    bomb = png_claiming_size(30_000, 30_000)  # 900 megapixels in a few hundred bytes
    assert len(bomb) < 10_000

    message = reject_message(clean_image_upload, upload(bomb, name="bomb.png"))

    assert message.startswith("The image is too large.")


def test_real_1_bit_10000px_png_bomb_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")
    assert buffer.tell() < 100_000  # 100 megapixels, tiny on disk

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        message = reject_message(clean_image_upload, upload(buffer.getvalue(), name="bomb.png"))

    assert message.startswith("The image is too large.")
    # Pillow's bomb warning is turned into a refusal, not left to leak as a mere warning.
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]


def test_image_upload_is_rewound_after_reading():
    source = upload(image_bytes("JPEG"))

    clean_image_upload(source)

    assert source.tell() == 0


# --- videos ------------------------------------------------------------------------------------

RANDOM_MP4 = re.compile(r"[0-9a-f]{32}\.mp4")
RANDOM_WEBM = re.compile(r"[0-9a-f]{32}\.webm")


def video(data: bytes, name: str):
    return SimpleUploadedFile(name, data, content_type="video/mp4")


@pytest.mark.parametrize("name", ["intro.mp4", "INTRO.MP4", "intro.m4v"])
def test_mp4_is_accepted_with_random_mp4_name(name):
    data = mp4_bytes()

    result = clean_video_upload(video(data, name))

    assert RANDOM_MP4.fullmatch(result.name)
    assert result.tell() == 0
    assert result.read() == data


@pytest.mark.parametrize("brand", [b"isom", b"mp41", b"avc1", b"M4V ", b"qt  "])
def test_mp4_common_video_brands_are_accepted(brand):
    assert RANDOM_MP4.fullmatch(clean_video_upload(video(mp4_bytes(brand), "a.mp4")).name)


def test_mp4_with_audio_only_brand_is_refused():
    message = reject_message(clean_video_upload, video(mp4_bytes(b"M4A "), "song.mp4"))

    assert message == "This file is not a video we accept. Upload an MP4 or WebM video."


def test_webm_is_accepted_with_random_webm_name():
    data = webm_bytes()

    result = clean_video_upload(video(data, "intro.webm"))

    assert RANDOM_WEBM.fullmatch(result.name)
    assert result.read() == data


def test_matroska_that_is_not_webm_is_refused():
    data = webm_bytes().replace(b"webm", b"mkvx")

    message = reject_message(clean_video_upload, video(data, "intro.webm"))

    assert message == "This file is not a video we accept. Upload an MP4 or WebM video."


def test_mp4_bytes_named_webm_are_refused():
    message = reject_message(clean_video_upload, video(mp4_bytes(), "intro.webm"))

    assert message == (
        "This file is an MP4 video but its name does not end in .mp4. "
        "Rename it to .mp4 and try again."
    )


def test_webm_bytes_named_mp4_are_refused():
    message = reject_message(clean_video_upload, video(webm_bytes(), "intro.mp4"))

    assert "does not end in .webm" in message


def test_random_bytes_named_mp4_are_refused():
    data = bytes((i * 37 + 11) % 256 for i in range(4096))

    message = reject_message(clean_video_upload, video(data, "intro.mp4"))

    assert message == "This file is not a video we accept. Upload an MP4 or WebM video."


def test_html_named_mp4_is_refused():
    html = b"<!doctype html><html><script>alert(1)</script></html>"

    message = reject_message(clean_video_upload, video(html, "intro.mp4"))

    assert message == "This video contains hidden code and was refused."


def test_mp4_with_markup_in_first_64kb_is_refused():
    data = mp4_bytes() + b"<script>alert(1)</script>"

    message = reject_message(clean_video_upload, video(data, "intro.mp4"))

    assert message == "This video contains hidden code and was refused."


def test_empty_video_is_refused():
    assert reject_message(clean_video_upload, video(b"", "a.mp4")) == "This video file is empty."


def test_oversize_video_is_refused():
    data = mp4_bytes(size=4096)

    message = reject_message(clean_video_upload, video(data, "a.mp4"), max_bytes=1024)

    assert message == "The video is larger than 1 KB."


def test_oversize_video_with_lying_size_is_refused():
    liar = video(mp4_bytes(size=4096), "a.mp4")
    liar.size = 100

    message = reject_message(clean_video_upload, liar, max_bytes=1024)

    assert message == "The video is larger than 1 KB."


def test_default_video_limit_comes_from_settings(settings):
    settings.VIDEO_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    big = video(mp4_bytes(), "a.mp4")
    big.size = 51 * 1024 * 1024

    assert reject_message(clean_video_upload, big) == "The video is larger than 50 MB."


# --- video links -------------------------------------------------------------------------------

YT = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
VIMEO = "https://player.vimeo.com/video/76979871"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", YT),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", YT),
        ("https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", YT),
        ("https://youtu.be/dQw4w9WgXcQ", YT),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc123", YT),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", YT),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", YT),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", YT),
        ("  https://youtu.be/dQw4w9WgXcQ  ", YT),
        ("https://vimeo.com/76979871", VIMEO),
        ("https://www.vimeo.com/76979871/", VIMEO),
        ("https://player.vimeo.com/video/76979871", VIMEO),
        ("https://player.vimeo.com/video/76979871?h=abc#t=10", VIMEO),
    ],
)
def test_youtube_and_vimeo_links_become_embed_urls(url, expected):
    assert normalise_video_link(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",  # not https
        "//youtu.be/dQw4w9WgXcQ",
        "javascript:alert(1)//https://youtu.be/dQw4w9WgXcQ",
        "https://youtube.com.evil.com/watch?v=dQw4w9WgXcQ",  # lookalike host
        "https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be.evil.com/dQw4w9WgXcQ",
        "https://youtube.com@evil.com/watch?v=dQw4w9WgXcQ",  # credentials trick
        "https://evil.com@youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
        "https://evil.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com.evil.com/76979871",
        "https://www.youtube.com/watch?v=short",  # id too short
        "https://www.youtube.com/watch?v=dQw4w9WgXcQx",  # id too long
        "https://www.youtube.com/watch?v=dQw4w9WgX%22Q",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=aaaaaaaaaaa",  # ambiguous
        "https://www.youtube.com/embed/dQw4w9WgXcQ/../../evil",
        "https://www.youtube.com/playlist?list=PL1234567890",
        "https://vimeo.com/channels/staffpicks",
        "https://vimeo.com/७६९७९८७१",  # non-ASCII digits
        "https://player.vimeo.com/76979871",
        "data:text/html,<script>alert(1)</script>",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ" + "&x=1" * 600,  # absurdly long
    ],
)
def test_other_links_are_refused(url):
    assert reject_message(normalise_video_link, url) == "Use a YouTube or Vimeo link."
