"""Illustrated, deterministic portraits for demo teachers.

Demo data needs faces, but stock photos bring licensing questions and downloads bring flaky
seeds. Instead we paint a flat, modern "avatar illustration" with Pillow alone. Everything is
laid out in a 1000 x 1000 design space (the face sits around the middle; a head-and-shoulders
crop of it becomes the picture) and painted at a multiple of the output size, then downscaled
with LANCZOS: Pillow's shape primitives are not anti-aliased, and supersampling is the
cheapest way to get smooth edges.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

__all__ = ["draw_portrait"]

RGB = tuple[int, int, int]
Box = tuple[float, float, float, float]
Point = tuple[float, float]

# 3x gives visibly smooth curves at 800 px while staying well under the time budget.
_SUPERSAMPLE = 3
_UNITS = 1000  # side of the design space
# The part of the design space that ends up in the picture: a head-and-shoulders crop.
_VIEW_ORIGIN: Point = (110, 120)
_VIEW_SIZE = 780

# Brand colours, reused so portraits sit comfortably next to the rest of the UI.
_NAVY = "#1f2a44"
_BLUE = "#2f5bea"
_RED = "#e4574b"
_CREAM = "#fbf6ee"

# A realistic spread from very fair to deep skin. The order matters: portraits step through
# it with a stride so consecutive seeds look different.
_SKIN_TONES = (
    "#f8dcc8",
    "#f0c4a4",
    "#e5ae86",
    "#d49669",
    "#bf7f52",
    "#a3663f",
    "#865032",
    "#683d26",
    "#4c2c1d",
)
_DARK_SKIN_FROM = 5  # index from which lighter hair colours become unlikely

_DARK_HAIR = ("#231c1b", "#37261f", "#4f3426")
_LIGHT_HAIR = ("#6e4329", "#8f4a2b", "#b8642f", "#a88152", "#d3ad6b")
_GREY_HAIR = "#b5b0aa"

_CLOTHES = (
    _NAVY,
    _BLUE,
    _RED,
    "#e2a93b",  # mustard
    "#7fa58a",  # sage
    "#c8704f",  # terracotta
    "#2c7a7b",  # teal
    "#6d4c7d",  # plum
)
_ACCENTS = (_RED, _BLUE, "#e2a93b", _NAVY)
_GLASSES = (_NAVY, "#1d1b1b", "#7a4a2c", _RED)

# Pastels that sit between the brand cream and the brand blue/red.
_BACKGROUNDS = (
    "#dde6fa",  # sky
    "#fbe1dc",  # blush
    "#e0efe6",  # mint
    "#ebe3f6",  # lavender
    "#f8ecd2",  # butter
    "#dcf0f2",  # aqua
    "#f6e6ee",  # rose
    "#f3ebdf",  # cream
)
_LIGHT_BACKGROUNDS = {"#f8ecd2", "#f3ebdf"}  # too close to cream clothing

_HAIR_STYLES = ("short", "long", "curly", "bun", "quiff", "bob")
_NECKLINES = ("crew", "collar", "breton", "scarf", "vneck", "turtleneck")
_PATTERNS = ("dots", "halo", "stripes", "arcs", "confetti")

# Face geometry shared by several helpers. The face is the union of a cranium ellipse and a
# narrower jaw ellipse, which gives a softer chin than a single egg shape.
_CRANIUM: Box = (352, 236, 648, 572)
_JAW: Box = (383, 392, 617, 628)
_EYE_Y = 448
_EYE_XS = (447, 553)
_HAIR_REGION: Box = (220, 60, 780, 900)  # local canvas for hair masks, saves full-size work


# --------------------------------------------------------------------------- colour helpers


def _rgb(value: str | RGB) -> RGB:
    if isinstance(value, tuple):
        return value
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _mix(a: str | RGB, b: str | RGB, t: float) -> RGB:
    """Linear blend from a (t=0) to b (t=1)."""
    ca, cb = _rgb(a), _rgb(b)
    return (
        round(ca[0] + (cb[0] - ca[0]) * t),
        round(ca[1] + (cb[1] - ca[1]) * t),
        round(ca[2] + (cb[2] - ca[2]) * t),
    )


def _shade(colour: str | RGB, factor: float) -> RGB:
    """Darken (factor < 1) or lighten (factor > 1) while keeping the hue."""
    if factor <= 1:
        return _mix(colour, (0, 0, 0), 1 - factor)
    return _mix(colour, (255, 255, 255), factor - 1)


def _luma(colour: str | RGB) -> float:
    r, g, b = _rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b


def _distance(a: str | RGB, b: str | RGB) -> float:
    return math.dist(_rgb(a), _rgb(b))


def _skin_shadow(skin: RGB, depth: float = 1.0) -> RGB:
    """Darker skin for shadows, nudged warm: plain darkening looks grey and ashen."""
    return _mix(_shade(skin, 1 - 0.13 * depth), (150, 60, 40), 0.06 * depth)


# ------------------------------------------------------------------------------- drawing


class _Pen:
    """ImageDraw wrapper speaking design units.

    `origin` is the design-space point that maps to pixel (0, 0) of the target image, which
    lets the same shape code paint either the full canvas or a small local mask.
    """

    def __init__(self, image: Image.Image, scale: float, origin: Point = (0, 0)) -> None:
        self.draw = ImageDraw.Draw(image)
        self.k = scale
        self.ox, self.oy = origin

    def pt(self, x: float, y: float) -> Point:
        return ((x - self.ox) * self.k, (y - self.oy) * self.k)

    def box(self, box: Box) -> list[float]:
        x0, y0 = self.pt(box[0], box[1])
        x1, y1 = self.pt(box[2], box[3])
        return [x0, y0, x1, y1]

    def ellipse(self, box: Box, fill: RGB | int) -> None:
        self.draw.ellipse(self.box(box), fill=fill)

    def circle(self, cx: float, cy: float, r: float, fill: RGB | int) -> None:
        self.ellipse((cx - r, cy - r, cx + r, cy + r), fill)

    def ring(self, box: Box, width: float, fill: RGB | int) -> None:
        self.draw.ellipse(self.box(box), outline=fill, width=max(1, round(width * self.k)))

    def frame(self, box: Box, radius: float, width: float, fill: RGB | int) -> None:
        """Outline of a rounded rectangle."""
        self.draw.rounded_rectangle(
            self.box(box), radius=radius * self.k, outline=fill, width=max(1, round(width * self.k))
        )

    def polygon(self, points: Sequence[Point], fill: RGB | int) -> None:
        self.draw.polygon([self.pt(x, y) for x, y in points], fill=fill)

    def rect(self, box: Box, fill: RGB | int, radius: float = 0) -> None:
        if radius:
            self.draw.rounded_rectangle(self.box(box), radius=radius * self.k, fill=fill)
        else:
            self.draw.rectangle(self.box(box), fill=fill)

    def chord(self, box: Box, start: float, end: float, fill: RGB | int) -> None:
        self.draw.chord(self.box(box), start, end, fill=fill)

    def stroke(self, points: Sequence[Point], width: float, fill: RGB | int) -> None:
        """A polyline with round caps (ImageDraw's own caps are square and look harsh)."""
        w = max(1, round(width * self.k))
        self.draw.line([self.pt(x, y) for x, y in points], fill=fill, width=w, joint="curve")
        for x, y in (points[0], points[-1]):
            self.circle(x, y, width / 2, fill)

    def curve(self, box: Box, start: float, end: float, width: float, fill: RGB | int) -> None:
        """A round-capped elliptical arc whose *centre line* follows the box's ellipse."""
        self.stroke(_arc_points(box, start, end), width, fill)


def _arc_points(box: Box, start: float, end: float, steps: int = 24) -> list[Point]:
    """Points on an ellipse, angles in degrees clockwise from 3 o'clock (Pillow convention)."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    rx, ry = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
    out = []
    for i in range(steps + 1):
        a = math.radians(start + (end - start) * i / steps)
        out.append((cx + rx * math.cos(a), cy + ry * math.sin(a)))
    return out


class _Canvas:
    """The supersampled RGB image plus helpers for masked (clipped) fills.

    It starts out as a vertical gradient from `top` to `bottom`.
    """

    def __init__(self, size: int, top: RGB, bottom: RGB) -> None:
        self.px = size * _SUPERSAMPLE
        self.k = self.px / _VIEW_SIZE
        # Stretch a 1x2 image into a one-pixel-wide ramp, then widen it without filtering:
        # far cheaper than interpolating every pixel of the full canvas.
        ends = Image.new("RGB", (1, 2), top)
        ends.putpixel((0, 1), bottom)
        ramp = ends.resize((1, self.px), Image.Resampling.BILINEAR)
        self.image = ramp.resize((self.px, self.px), Image.Resampling.NEAREST)
        self.pen = _Pen(self.image, self.k, _VIEW_ORIGIN)

    def mask(self, region: Box) -> tuple[Image.Image, _Pen]:
        """A blank L mask covering `region` and a pen that draws into it in design units."""
        x0, y0, x1, y1 = (round(v) for v in self.pen.box(region))
        mask = Image.new("L", (x1 - x0, y1 - y0), 0)
        return mask, _Pen(mask, self.k, (region[0], region[1]))

    def fill(self, region: Box, mask: Image.Image, colour: RGB) -> None:
        """Paint `colour` through a mask made by `mask(region)`."""
        bbox = mask.getbbox()
        if bbox is None:
            return
        # Only touch the mask's bounding box: masked pastes cost per pixel, empty or not.
        x0, y0 = (round(v) for v in self.pen.pt(region[0], region[1]))
        box = (x0 + bbox[0], y0 + bbox[1], x0 + bbox[2], y0 + bbox[3])
        self.image.paste(colour, box, mask.crop(bbox))


# ---------------------------------------------------------------------------------- look


@dataclass(frozen=True)
class _Look:
    """Every random decision, made up front so drawing code stays free of dice rolls."""

    skin: RGB
    hair: RGB
    hair_style: str
    clothing: RGB
    accent: RGB
    neckline: str
    glasses: RGB | None
    round_glasses: bool
    background: RGB
    pattern: str
    pattern_ink: RGB
    smiling_eyes: bool
    open_smile: bool
    detail_seed: int  # for scattered details (curls, confetti) that must repeat exactly


def _stride_pick(options: Sequence[str], start: int, ok: Callable[[str], bool]) -> str:
    """The first acceptable option at or after `start`, wrapping round."""
    for i in range(len(options)):
        candidate = options[(start + i) % len(options)]
        if ok(candidate):
            return candidate
    return options[start % len(options)]


def _pick_look(name: str, seed: int) -> _Look:
    """Decide every attribute of the portrait for this (name, seed)."""
    # A string seed is hashed with SHA-512 by `random`, so it is stable across processes
    # (unlike hash()) and mixes the name in for the small details.
    rng = random.Random(f"petittalk-portrait:{seed}:{name}")

    # The big decisions step through their lists with strides coprime to the list lengths, so
    # seeds 0..n produce a visibly varied cast rather than a random clump. `lap` shifts the
    # pairing on each pass so seed 6 is not a repeat of seed 0's outfit.
    lap = seed // len(_HAIR_STYLES)
    hair_style = _HAIR_STYLES[seed % len(_HAIR_STYLES)]
    neckline = _NECKLINES[(seed * 5 + 3 * lap + 2) % len(_NECKLINES)]
    skin_index = (seed * 4 + 1) % len(_SKIN_TONES)
    skin = _rgb(_SKIN_TONES[skin_index])

    if rng.random() < 0.1:
        hair = _GREY_HAIR
    elif skin_index >= _DARK_SKIN_FROM or rng.random() < 0.45:
        hair = rng.choice(_DARK_HAIR)
    else:
        hair = rng.choice(_LIGHT_HAIR)

    if neckline == "breton":
        clothing = _CREAM
        accent = rng.choice((_NAVY, _NAVY, _RED))
    else:
        # Clothes too close to the skin tone make the neck and body melt together.
        clothing = _stride_pick(_CLOTHES, seed * 3, lambda c: _distance(c, skin) > 90)
        accent = rng.choice([c for c in _ACCENTS if c != clothing])

    background = _stride_pick(
        _BACKGROUNDS,
        seed * 3 + 1,
        lambda b: not (neckline == "breton" and b in _LIGHT_BACKGROUNDS),
    )
    wears_glasses = rng.random() < 0.4
    return _Look(
        skin=skin,
        hair=_rgb(hair),
        hair_style=hair_style,
        clothing=_rgb(clothing),
        accent=_rgb(accent),
        neckline=neckline,
        glasses=_rgb(rng.choice(_GLASSES)) if wears_glasses else None,
        round_glasses=rng.random() < 0.5,
        background=_rgb(background),
        pattern=_PATTERNS[(seed * 2 + lap) % len(_PATTERNS)],
        pattern_ink=_shade(background, 0.95),
        smiling_eyes=rng.random() < 0.25,
        open_smile=rng.random() < 0.5,
        detail_seed=rng.randrange(2**31),
    )


# ----------------------------------------------------------------------------- background


def _draw_background(canvas: _Canvas, look: _Look) -> None:
    """A subtle pattern over the canvas's gradient."""
    pen, ink = canvas.pen, look.pattern_ink
    rng = random.Random(look.detail_seed)
    if look.pattern == "dots":
        for row, y in enumerate(range(40, _UNITS, 72)):
            offset = 36 if row % 2 else 0
            for x in range(20 + offset, _UNITS, 72):
                pen.circle(x, y, 7, ink)
    elif look.pattern == "halo":
        pen.circle(500, 470, 345, ink)
        pen.ring((110, 80, 890, 860), 6, ink)
    elif look.pattern == "stripes":
        for x in range(-_UNITS, _UNITS, 110):
            pen.polygon([(x, 0), (x + 45, 0), (x + 45 + _UNITS, _UNITS), (x + _UNITS, _UNITS)], ink)
    elif look.pattern == "arcs":
        for r in range(160, 1400, 110):
            pen.ring((1000 - r, -r, 1000 + r, r), 8, ink)
    else:  # confetti: a few small shapes, kept near the edges so they frame the face
        for _ in range(26):
            x, y = rng.uniform(30, 970), rng.uniform(30, 700)
            if 260 < x < 740 and y > 120:
                continue
            if rng.random() < 0.5:
                pen.circle(x, y, rng.uniform(8, 14), ink)
            else:
                s = rng.uniform(10, 16)
                pen.rect((x - s, y - s, x + s, y + s), ink, radius=4)


# --------------------------------------------------------------------------------- hair


def _bezier(p0: Point, c0: Point, c1: Point, p1: Point, steps: int = 16) -> list[Point]:
    """Sample a cubic Bezier; hairlines are far easier to shape as curves than as ellipses."""
    out = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        out.append(
            (
                u**3 * p0[0] + 3 * u * u * t * c0[0] + 3 * u * t * t * c1[0] + t**3 * p1[0],
                u**3 * p0[1] + 3 * u * u * t * c0[1] + 3 * u * t * t * c1[1] + t**3 * p1[1],
            )
        )
    return out


def _silhouette(pen: _Pen, style: str) -> None:
    """Outline of hair that falls past the face (long, bob)."""
    if style == "long":
        pen.ellipse((318, 205, 682, 560), 255)
        pen.polygon([(320, 390), (680, 390), (704, 790), (296, 790)], 255)
        pen.ellipse((296, 745, 704, 835), 255)
    else:
        # Sides that bow out slightly and tuck in at the ends, so the bob is not a box.
        pen.ellipse((322, 212, 678, 560), 255)
        pen.polygon(
            _bezier((322, 386), (318, 470), (304, 560), (316, 626))
            + _bezier((316, 626), (328, 664), (370, 668), (410, 660))
            + _bezier((590, 660), (630, 668), (672, 664), (684, 626))
            + _bezier((684, 626), (696, 560), (682, 470), (678, 386)),
            255,
        )


def _hair_back(pen: _Pen, look: _Look) -> None:
    """Hair that sits behind the head and neck (drawn into a mask)."""
    style = look.hair_style
    if style in ("long", "bob"):
        _silhouette(pen, style)
    elif style == "bun":
        pen.circle(500, 218, 66, 255)
    elif style == "curly":
        for x, y, r in _curls(look, back=True):
            pen.circle(x, y, r, 255)


def _hair_front(pen: _Pen, look: _Look) -> None:
    """Hair in front of the face: a cap with the face window cut out, then fringe pieces."""
    style = look.hair_style
    if style == "curly":
        # A cap fills the crown; the row of curls then softens its hairline.
        pen.ellipse((346, 208, 654, 440), 255)
        pen.rect((374, 300, 626, 700), 0, radius=90)
        for x, y, r in _curls(look, back=False):
            pen.circle(x, y, r, 255)
    elif style == "short":
        pen.ellipse((344, 206, 656, 452), 255)
        # A side-swept fringe: the hairline sags low on the left and rises to the parting.
        pen.polygon(
            [
                (374, 700),
                (374, 384),
                *_bezier((374, 384), (430, 360), (530, 330), (592, 292)),
                *_bezier((592, 292), (616, 318), (628, 350), (628, 400)),
                (628, 700),
            ],
            0,
        )
        _sideburns(pen)
    elif style == "quiff":
        pen.ellipse((344, 222, 656, 440), 255)
        # Receding temples keep it from looking like a helmet.
        pen.polygon(
            [
                (372, 700),
                (372, 400),
                *_bezier((372, 400), (380, 340), (400, 318), (440, 312)),
                *_bezier((560, 306), (600, 310), (622, 330), (628, 400)),
                (628, 700),
            ],
            0,
        )
        # Volume swept up and over from a side parting, overhanging the forehead a little.
        pen.polygon(
            _bezier((392, 330), (350, 260), (400, 180), (480, 176))
            + _bezier((480, 176), (570, 172), (640, 215), (646, 300))
            + _bezier((646, 300), (600, 290), (520, 280), (392, 330)),
            255,
        )
        _sideburns(pen)
    elif style == "long":
        # The whole silhouette sits in front of the ears and shoulders; cutting a window for
        # the face lets the darker back layer show behind the jaw, which gives depth.
        _silhouette(pen, style)
        # A parted, arched hairline: the curtains frame the face.
        pen.polygon(
            [
                (376, 900),
                (376, 440),
                *_bezier((376, 440), (380, 330), (420, 282), (482, 262)),
                *_bezier((482, 262), (560, 280), (622, 330), (624, 440)),
                (624, 900),
            ],
            0,
        )
    elif style == "bob":
        _silhouette(pen, style)
        # Straight, slightly rounded bangs, very Parisian.
        pen.polygon(
            [
                (376, 900),
                (376, 372),
                *_bezier((376, 372), (440, 350), (560, 350), (624, 372)),
                (624, 900),
            ],
            0,
        )
    elif style == "bun":
        pen.ellipse((344, 220, 656, 460), 255)
        # Hair pulled back: a smooth high hairline with a small widow's peak.
        pen.polygon(
            [
                (370, 700),
                (370, 400),
                *_bezier((370, 400), (378, 320), (440, 296), (500, 306)),
                *_bezier((500, 306), (560, 296), (622, 320), (630, 400)),
                (630, 700),
            ],
            0,
        )


def _sideburns(pen: _Pen) -> None:
    """Short cuts need hair down to the ears, or the cap reads as a hat."""
    # Tapered so they end in a point at the ear rather than a blunt block.
    pen.polygon([(354, 340), (384, 340), (378, 400), (362, 418)], 255)
    pen.polygon([(646, 340), (616, 340), (622, 400), (638, 418)], 255)


def _curls(look: _Look, *, back: bool) -> list[tuple[float, float, float]]:
    """Circle centres and radii for curly hair: a ring round the head plus a fringe row."""
    rng = random.Random(look.detail_seed + (1 if back else 2))
    curls = []
    if back:
        # A mop around the crown reaching down to the jaw.
        for i in range(22):
            a = math.radians(150 + 240 * i / 21)
            curls.append(
                (
                    500 + 178 * math.cos(a) + rng.uniform(-8, 8),
                    420 + 190 * math.sin(a) + rng.uniform(-8, 8),
                    rng.uniform(52, 66),
                )
            )
        curls.append((500, 340, 150))  # fill the middle of the crown
    else:
        for i in range(9):
            t = i / 8
            x = 372 + 256 * t
            y = 312 - 40 * math.sin(math.pi * t) + rng.uniform(-5, 5)
            curls.append((x, y, rng.uniform(30, 38)))
    return curls


def _draw_back_hair(canvas: _Canvas, look: _Look) -> Image.Image:
    """Paint the hair behind the head; returns its mask for clipping details later."""
    mask, pen = canvas.mask(_HAIR_REGION)
    _hair_back(pen, look)
    if look.hair_style == "curly":
        # Curly hair is one mass, so it keeps a single colour and relies on texture instead.
        canvas.fill(_HAIR_REGION, mask, look.hair)
        dark = _shade(look.hair, 0.72)
        for x, y, r in _curls(look, back=True)[:-1]:
            box = (x - r * 0.7, y - r * 0.7, x + r * 0.7, y + r * 0.7)
            canvas.pen.curve(box, 20, 120, 5, dark)  # the face, painted later, clips these
    else:
        # Hair behind the head is a touch darker, which pushes it back and adds depth.
        canvas.fill(_HAIR_REGION, mask, _shade(look.hair, 0.85))
    return mask


def _draw_front_hair(canvas: _Canvas, look: _Look, back_mask: Image.Image) -> None:
    """Paint the hair in front of the face, its shadow, and the highlights on top."""
    face_mask, face_pen = canvas.mask(_HAIR_REGION)
    _face_shape(face_pen, 255)

    # The same shape nudged down, clipped to the face: a cheap but convincing cast shadow
    # that lifts the fringe off the forehead.
    shadow_mask, shadow_pen = canvas.mask(_HAIR_REGION)
    shadow_pen.ox -= 4
    shadow_pen.oy -= 14
    _hair_front(shadow_pen, look)
    shadow = ImageChops.multiply(shadow_mask, face_mask)
    canvas.fill(_HAIR_REGION, shadow, _skin_shadow(look.skin))

    mask, pen = canvas.mask(_HAIR_REGION)
    _hair_front(pen, look)
    canvas.fill(_HAIR_REGION, mask, look.hair)

    # Highlights are painted on a copy of the region and pasted back through the visible
    # hair, so a stroke can never spill onto the face or the background.
    visible = ImageChops.lighter(mask, ImageChops.subtract(back_mask, face_mask))
    x0, y0 = (round(v) for v in canvas.pen.pt(_HAIR_REGION[0], _HAIR_REGION[1]))
    box = (x0, y0, x0 + mask.width, y0 + mask.height)
    layer = canvas.image.crop(box)
    _draw_hair_details(_Pen(layer, canvas.k, (_HAIR_REGION[0], _HAIR_REGION[1])), look)
    canvas.image.paste(layer, box, visible)


def _draw_hair_details(pen: _Pen, look: _Look) -> None:
    """Highlights, strands and ties: small touches that make the flat shapes read as hair."""
    light = _mix(look.hair, (255, 255, 255), 0.2)
    dark = _shade(look.hair, 0.72)
    style = look.hair_style
    if style == "curly":
        pen.curve((400, 225, 600, 330), 210, 250, 7, light)
        for x, y, r in _curls(look, back=False):
            pen.curve((x - r * 0.6, y - r * 0.6, x + r * 0.6, y + r * 0.6), 200, 270, 5, light)
    elif style == "short":
        pen.curve((400, 232, 620, 330), 205, 250, 7, light)
        pen.stroke(_bezier((592, 292), (560, 260), (540, 240), (520, 226)), 4, dark)
        pen.stroke(_bezier((420, 350), (470, 320), (520, 295), (560, 276)), 4, dark)
    elif style == "quiff":
        pen.stroke(_bezier((410, 300), (400, 240), (450, 200), (520, 196)), 7, light)
        pen.stroke(_bezier((440, 306), (440, 256), (490, 222), (560, 222)), 4, dark)
    elif style == "long":
        pen.curve((364, 236, 514, 484), 200, 240, 7, light)
        pen.stroke(_bezier((482, 264), (470, 245), (468, 230), (475, 212)), 4, dark)
        for x in (338, 662):
            pen.stroke(_bezier((x, 560), (x - 4, 620), (x + 4, 680), (x, 735)), 5, dark)
    elif style == "bob":
        pen.curve((380, 240, 540, 420), 205, 250, 7, light)
        for x0, x1 in ((410, 405), (455, 452), (545, 548), (590, 595)):
            pen.stroke([(x0, 358), (x1, 330)], 4, dark)
    elif style == "bun":
        pen.curve((452, 168, 548, 264), 200, 260, 6, light)
        # Strands pulled back towards the bun.
        pen.stroke(_bezier((410, 320), (420, 270), (450, 240), (485, 228)), 5, light)
        pen.stroke(_bezier((590, 320), (580, 270), (550, 240), (515, 228)), 5, dark)
        pen.rect((470, 214, 530, 228), _mix(look.accent, look.hair, 0.35), radius=7)  # hair tie


# -------------------------------------------------------------------------- body and face


def _face_shape(pen: _Pen, fill: RGB | int) -> None:
    pen.ellipse(_CRANIUM, fill)
    pen.ellipse(_JAW, fill)


def _draw_torso(canvas: _Canvas, look: _Look) -> None:
    pen = canvas.pen
    shade = _shade(look.clothing, 0.86)
    torso: Box = (170, 738, 830, 1120)
    pen.rect(torso, look.clothing, radius=200)
    if look.neckline == "breton":
        # Stripes clipped to the torso so the rounded shoulders stay rounded.
        region: Box = (160, 720, 840, 1010)
        mask, mpen = canvas.mask(region)
        for y in range(800, 1010, 48):
            mpen.rect((160, y, 840, y + 20), 255)
        clip, cpen = canvas.mask(region)
        cpen.rect(torso, 255, radius=200)
        canvas.fill(region, ImageChops.multiply(mask, clip), look.accent)
    # Soft creases where the arms meet the body give the torso some form.
    pen.curve((250, 860, 330, 1260), 190, 230, 7, shade)
    pen.curve((670, 860, 750, 1260), -50, -10, 7, shade)


def _draw_neck(canvas: _Canvas, look: _Look) -> None:
    pen = canvas.pen
    # The neck stops just below the shoulder line; each neckline paints the skin it reveals.
    pen.rect((448, 560, 552, 752), look.skin, radius=14)
    # The jaw's shadow on the neck; the head drawn later hides all but a crescent.
    pen.ellipse((440, 560, 560, 668), _skin_shadow(look.skin))


def _draw_neckline(canvas: _Canvas, look: _Look) -> None:
    pen = canvas.pen
    skin, cloth, accent = look.skin, look.clothing, look.accent
    shade = _shade(cloth, 0.82)
    if look.neckline == "crew":
        # Necklines are the lower halves of ellipses centred on the shoulder line, so they
        # read as a U cut into the garment rather than a disc pasted on top of it.
        pen.chord((424, 690, 576, 806), 0, 180, shade)
        pen.chord((442, 690, 558, 786), 0, 180, skin)
    elif look.neckline == "vneck":
        pen.polygon([(430, 735), (570, 735), (500, 850)], shade)
        pen.polygon([(448, 735), (552, 735), (500, 828)], skin)
    elif look.neckline == "collar":
        # A shirt collar peeking out of a jumper.
        pen.chord((420, 690, 580, 806), 0, 180, shade)
        pen.polygon([(448, 730), (552, 730), (500, 800)], skin)
        white = _rgb(_CREAM)
        pen.polygon([(500, 800), (442, 712), (418, 760), (468, 826)], white)
        pen.polygon([(500, 800), (558, 712), (582, 760), (532, 826)], white)
        pen.stroke([(500, 800), (500, 830)], 3, _shade(white, 0.8))
    elif look.neckline == "breton":
        pen.chord((404, 700, 596, 778), 0, 180, skin)  # wide, shallow boat neck
    elif look.neckline == "scarf":
        pen.ellipse((436, 708, 564, 780), skin)
        pen.rect((432, 705, 568, 762), accent, radius=28)
        pen.polygon([(510, 745), (548, 745), (560, 850), (530, 845)], _shade(accent, 0.88))
        pen.polygon([(520, 745), (548, 745), (590, 830), (565, 842)], accent)
        pen.circle(532, 752, 20, _shade(accent, 0.92))
    elif look.neckline == "turtleneck":
        pen.rect((434, 644, 566, 790), cloth, radius=26)
        for y in (678, 706):  # the folds of the rolled collar
            pen.curve((446, y - 14, 554, y + 14), 20, 160, 5, shade)


def _draw_head(canvas: _Canvas, look: _Look) -> None:
    pen = canvas.pen
    skin, inner = look.skin, _skin_shadow(look.skin)
    for cx in (352, 648):
        pen.ellipse((cx - 20, 418, cx + 20, 500), skin)
        pen.ellipse((cx - 9, 436, cx + 9, 482), inner)
    _face_shape(pen, skin)


def _draw_cheeks(canvas: _Canvas, look: _Look) -> None:
    """Blurred rosy cheeks; blurred at low resolution then scaled up, which is much cheaper."""
    region: Box = (370, 460, 630, 560)
    blush = _mix(look.skin, _RED, 0.35)
    small_k = 0.5  # half a pixel per design unit is plenty for something this soft
    mask = Image.new("L", (round(260 * small_k), round(100 * small_k)), 0)
    mpen = _Pen(mask, small_k, (region[0], region[1]))
    # Blush reads as a stain on deep skin, so it fades out as the skin darkens.
    strength = round(130 * (0.35 + 0.65 * _luma(look.skin) / 255))
    mpen.ellipse((392, 486, 452, 528), strength)
    mpen.ellipse((548, 486, 608, 528), strength)
    mask = mask.filter(ImageFilter.GaussianBlur(5))
    x0, y0 = (round(v) for v in canvas.pen.pt(region[0], region[1]))
    x1, y1 = (round(v) for v in canvas.pen.pt(region[2], region[3]))
    mask = mask.resize((x1 - x0, y1 - y0), Image.Resampling.BILINEAR)
    canvas.image.paste(blush, (x0, y0, x1, y1), mask)


def _draw_features(canvas: _Canvas, look: _Look) -> None:
    pen = canvas.pen
    ink = (43, 33, 31)
    brow = _shade(look.hair, 0.75) if look.hair != _rgb(_GREY_HAIR) else (120, 112, 106)
    shadow = _skin_shadow(look.skin, 1.4)

    for side, ex in zip((-1, 1), _EYE_XS, strict=True):
        # Brows: a gentle arc, slightly thicker look thanks to the round caps.
        pen.curve((ex - 34, _EYE_Y - 52, ex + 34, _EYE_Y - 24), 205, 335, 9, brow)
        if look.smiling_eyes:
            pen.curve((ex - 19, _EYE_Y - 10, ex + 19, _EYE_Y + 22), 200, 340, 7, ink)
        else:
            pen.ellipse((ex - 12, _EYE_Y - 15, ex + 12, _EYE_Y + 15), ink)
            pen.circle(ex + 4, _EYE_Y - 6, 4.5, (255, 255, 255))
        # A tiny lash flick on the outer corner keeps the eyes from looking like buttons.
        pen.stroke([(ex + side * 11, _EYE_Y - 10), (ex + side * 20, _EYE_Y - 16)], 4, ink)

    # Nose: just the underside, which is all a flat illustration needs.
    pen.curve((488, 478, 512, 498), 25, 155, 6, shadow)

    if look.open_smile:
        # Lower half-ellipses: mouth, then teeth tucked under its top edge, then a tongue
        # whose ellipse shares the mouth's lowest point so it stays inside.
        pen.chord((460, 510, 540, 570), 0, 180, (140, 56, 60))
        pen.chord((468, 528, 532, 556), 0, 180, (255, 255, 255))
        pen.chord((470, 520, 530, 570), 30, 150, (216, 110, 112))
    else:
        pen.curve((462, 510, 538, 560), 25, 155, 7, (150, 72, 70))


def _draw_glasses(canvas: _Canvas, look: _Look) -> None:
    if look.glasses is None:
        return
    pen, frame = canvas.pen, look.glasses
    for ex in _EYE_XS:
        if look.round_glasses:
            pen.ring((ex - 43, _EYE_Y - 40, ex + 43, _EYE_Y + 40), 7, frame)
        else:
            pen.frame((ex - 46, _EYE_Y - 34, ex + 46, _EYE_Y + 34), 22, 7, frame)
    pen.curve((488, _EYE_Y - 14, 512, _EYE_Y + 6), 200, 340, 6, frame)
    pen.stroke([(_EYE_XS[0] - 44, _EYE_Y - 6), (356, _EYE_Y - 10)], 6, frame)
    pen.stroke([(_EYE_XS[1] + 44, _EYE_Y - 6), (644, _EYE_Y - 10)], 6, frame)


# ---------------------------------------------------------------------------------- API


def draw_portrait(*, name: str, seed: int, size: int = 800) -> bytes:
    """A friendly, stylised illustrated portrait (JPEG bytes) for demo teachers.

    Nothing is downloaded: the head-and-shoulders illustration is painted with Pillow. The
    same (name, seed) always yields the same bytes. The seed picks the big things (skin tone,
    hair style, outfit, background) by stepping through curated lists, so seeds 0, 1, 2...
    give a varied cast; the name then varies hair colour, glasses, expression and accents.
    Hair styles cycle with `seed % 6`: short, long, curly, bun, quiff, bob.
    """
    if size < 16:
        raise ValueError("size must be at least 16 pixels")
    look = _pick_look(name, seed)
    # A vertical gradient, lighter at the top, reads as soft studio light.
    canvas = _Canvas(size, _mix(look.background, (255, 255, 255), 0.5), look.background)

    # Back to front, like a painter.
    _draw_background(canvas, look)
    back_hair = _draw_back_hair(canvas, look)
    _draw_torso(canvas, look)
    _draw_neck(canvas, look)
    _draw_neckline(canvas, look)
    _draw_head(canvas, look)
    _draw_cheeks(canvas, look)
    _draw_features(canvas, look)
    _draw_front_hair(canvas, look, back_hair)
    _draw_glasses(canvas, look)

    final = canvas.image.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    final.save(buffer, format="JPEG", quality=88, optimize=True)
    return buffer.getvalue()
