from __future__ import annotations

import pytest

from petittalk.core.views import byte_range

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "teachers").mkdir()
    (tmp_path / "teachers" / "intro.mp4").write_bytes(bytes(range(256)) * 4)  # 1,024 bytes
    return "/media/teachers/intro.mp4"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_whole_video_says_it_accepts_ranges(client, video):
    response = client.get(video)
    assert response.status_code == 200 and response["Accept-Ranges"] == "bytes"
    assert len(body(response)) == 1024


def test_a_range_returns_exactly_those_bytes(client, video):
    response = client.get(video, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 10-19/1024"
    assert body(response) == bytes(range(10, 20))


def test_an_open_ended_and_a_suffix_range(client, video):
    assert body(client.get(video, HTTP_RANGE="bytes=1000-")) == bytes(range(232, 256))
    suffix = client.get(video, HTTP_RANGE="bytes=-4")
    assert suffix["Content-Range"] == "bytes 1020-1023/1024" and len(body(suffix)) == 4


def test_a_range_past_the_end_is_416(client, video):
    response = client.get(video, HTTP_RANGE="bytes=5000-6000")
    assert response.status_code == 416 and response["Content-Range"] == "bytes */1024"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("bytes=0-0", (0, 0)),
        ("bytes=5-2", "unsatisfiable"),
        ("bytes=0-5,7-9", None),
        ("items=0-5", None),
        ("bytes=-0", "unsatisfiable"),
        ("bytes=3-99999", (3, 99)),
    ],
)
def test_byte_range_parsing(header, expected):
    assert byte_range(header, 100) == expected
