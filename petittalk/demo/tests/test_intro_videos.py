"""Demo intro videos: drawn with Pillow, encoded to WebM (VP8), accepted like any upload."""

from __future__ import annotations

import io

import av
from django.core.files.base import ContentFile
from PIL import Image

from petittalk.core.uploads import clean_video_upload
from petittalk.demo.intro_videos import draw_intro_video


def test_intro_video_is_a_small_three_second_vp8_webm_that_the_upload_checks_accept():
    portrait = Image.new("RGB", (400, 400), (200, 120, 90))

    data = draw_intro_video(name="Claire Dubois", portrait=portrait)

    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        assert container.format.name.startswith("matroska")
        assert stream.codec_context.name == "vp8"
        assert (stream.width, stream.height) == (320, 240)
        assert 2.5 <= container.duration / av.time_base <= 3.5
        frames = list(container.decode(video=0))
    assert len(frames) >= 30
    assert len(data) < 1_000_000
    cleaned = clean_video_upload(ContentFile(data, name="intro.webm"))
    assert cleaned.name.endswith(".webm")
