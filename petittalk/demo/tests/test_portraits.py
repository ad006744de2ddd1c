"""Tests for the illustrated demo-teacher portraits (pure Pillow, no database)."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops

from petittalk.demo.portraits import draw_portrait


def _decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("size", [800, 256])
def test_output_is_an_rgb_jpeg_of_the_requested_size(size: int) -> None:
    image = _decode(draw_portrait(name="Claire", seed=0, size=size))

    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert image.size == (size, size)


def test_same_name_and_seed_give_identical_bytes() -> None:
    first = draw_portrait(name="Amélie", seed=3, size=320)
    second = draw_portrait(name="Amélie", seed=3, size=320)

    assert first == second


def test_different_seeds_give_different_images() -> None:
    images = [_decode(draw_portrait(name="Julien", seed=seed, size=200)) for seed in range(6)]

    for i, a in enumerate(images):
        for b in images[i + 1 :]:
            # Compare pixels rather than bytes: the pictures themselves must differ.
            assert ImageChops.difference(a, b).getbbox() is not None


def test_consecutive_seeds_give_different_skin_tones() -> None:
    # A demo cast should not collapse onto one look: sample the chin, which is plain skin
    # in every variant, and expect six seeds to give six different tones.
    chin_tones = {
        _decode(draw_portrait(name="Léa", seed=seed, size=200)).getpixel((100, 123))
        for seed in range(6)
    }
    assert len(chin_tones) == 6


def test_portrait_is_not_a_flat_image() -> None:
    image = _decode(draw_portrait(name="Hugo", seed=5, size=200))

    # Quantise away JPEG noise, then count the colours that cover a meaningful area.
    quantised = image.quantize(colors=32)
    counts = sorted((count for count, _ in quantised.getcolors() or []), reverse=True)
    significant = [count for count in counts if count > 200 * 200 * 0.005]
    assert len(significant) >= 6
    # And no single colour dominates the whole picture.
    assert counts[0] < 200 * 200 * 0.6


def test_rejects_a_silly_size() -> None:
    with pytest.raises(ValueError, match="size"):
        draw_portrait(name="Nicolas", seed=1, size=4)
