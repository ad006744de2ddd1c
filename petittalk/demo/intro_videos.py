"""Short intro videos for demo teachers, drawn with Pillow and encoded to WebM with PyAV.

The demo needs real videos so "Watch their intro video" is true, but downloaded clips bring
licensing questions and flaky seeds. So we animate a title card from the teacher's own drawn
portrait and name, and encode it with the VP8 encoder that PyAV's wheels bundle (nothing is
fetched at run time). WebM/VP8, not H.264: Debian's Chromium (and other builds without the
proprietary codecs) plays only the free codecs.
"""

from __future__ import annotations

import io

import av
from PIL import Image, ImageDraw, ImageFont, ImageOps

__all__ = ["draw_intro_video"]

WIDTH, HEIGHT = 320, 240
FPS = 12
SECONDS = 3
PORTRAIT_SIDE = 120
_CREAM = (251, 246, 238)
_NAVY = (31, 42, 68)
_BLUE = (47, 91, 234)


def draw_intro_video(*, name: str, portrait: Image.Image, greeting: str = "Bonjour !") -> bytes:
    """A ~3 s, 320x240 WebM (VP8) title card: the portrait slides in, then the greeting and name.

    Colours come from the portrait itself (its backdrop and its clothes), so each teacher's
    video looks like theirs. A few tens of kilobytes.
    """
    face = ImageOps.fit(portrait.convert("RGB"), (PORTRAIT_SIDE, PORTRAIT_SIDE))
    backdrop = face.getpixel((2, 2))
    accent = face.getpixel((PORTRAIT_SIDE // 2, PORTRAIT_SIDE - 3))
    if sum(accent[:3]) > 600:  # white clothes would leave the ring and the bar invisible
        accent = _BLUE
    mask = Image.new("L", face.size, 0)
    ImageDraw.Draw(mask).ellipse((0, 0, PORTRAIT_SIDE - 1, PORTRAIT_SIDE - 1), fill=255)
    big, small = ImageFont.load_default(size=26), ImageFont.load_default(size=17)

    output = io.BytesIO()
    with av.open(output, mode="w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.bit_rate = 250_000
        # A title card needs no slow, careful encoding: realtime mode on one thread keeps the
        # seed quick (libvpx's threads only contend for a small frame on a busy machine).
        stream.options = {"deadline": "realtime", "cpu-used": "8"}
        stream.thread_count = 1
        frames = FPS * SECONDS
        for index in range(frames):
            progress = index / (frames - 1)
            image = _frame(progress, face, mask, backdrop, accent, greeting, name, big, small)
            for packet in stream.encode(av.VideoFrame.from_image(image)):
                container.mux(packet)
        for packet in stream.encode():  # flush the encoder's last frames
            container.mux(packet)
    return output.getvalue()


def _frame(progress, face, mask, backdrop, accent, greeting, name, big, small) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), _blend(backdrop, _CREAM, 0.35))
    draw = ImageDraw.Draw(image)
    # The portrait eases in from the left during the first second.
    slide = _ease(min(progress * 3, 1))
    x = int(-PORTRAIT_SIDE + slide * (20 + PORTRAIT_SIDE))
    y = (HEIGHT - PORTRAIT_SIDE) // 2 - 10
    draw.ellipse((x - 4, y - 4, x + PORTRAIT_SIDE + 3, y + PORTRAIT_SIDE + 3), fill=accent)
    image.paste(face, (x, y), mask)
    # Then the greeting and the name fade in beside it.
    text_fade = _ease(max(0.0, min((progress - 0.25) * 3, 1)))
    ink = _blend(image.getpixel((WIDTH - 1, 0)), _NAVY, text_fade)
    draw.text((156, 78), greeting, font=big, fill=ink)
    first, _, rest = name.partition(" ")
    draw.text((156, 114), first, font=small, fill=ink)
    draw.text((156, 136), rest, font=small, fill=ink)
    # A bar across the bottom shows time passing, so the clip visibly plays.
    draw.rectangle((0, HEIGHT - 8, int(WIDTH * progress), HEIGHT), fill=accent)
    return image


def _ease(t: float) -> float:
    return 1 - (1 - t) ** 3


def _blend(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a[:3], b[:3], strict=True))
