from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from petittalk.accounts.tests.factories import StaffFactory
from petittalk.teachers.models import Language, Specialty, TeacherProfile
from petittalk.teachers.tests.factories import TeacherProfileFactory
from petittalk.testing.media import mp4_upload, photo_upload

pytestmark = pytest.mark.django_db


def profile_data(**overrides) -> dict:
    data = {
        "display_name": "Claire D.",
        "headline": "Grammar without tears",
        "bio": "Je suis prof depuis dix ans.",
        "languages": [Language.objects.get(code="en").pk],
        "specialties": [Specialty.objects.get(slug="grammar").pk],
        "price_30": "15.00",
        "price_60": "27.50",
        "intro_video_url": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def teacher():
    return TeacherProfileFactory(is_published=False)


def test_teacher_edits_own_profile_prices_specialties_and_photo(client, teacher):
    client.force_login(teacher.user)

    response = client.post(
        "/dashboard/teacher/profile/", {**profile_data(), "photo": photo_upload()}
    )

    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.user.display_name == "Claire D."
    assert teacher.price_60 == Decimal("27.50")
    assert [s.slug for s in teacher.specialties.all()] == ["grammar"]
    assert teacher.photo.name.endswith(".jpg") and "me" not in teacher.photo.name
    with Image.open(teacher.photo_thumbnail.path) as thumb:
        assert thumb.size == (320, 320)
    assert teacher.is_published is False  # only staff publish


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"price_30": "-3"}, "greater than or equal to 5"),
        ({"price_60": "abc"}, "Enter a number"),
        ({"price_30": "40", "price_60": "30"}, "cannot cost less"),
        ({"price_60": "9999"}, "less than or equal to 500"),
        ({"intro_video_url": "https://evil.example.com/x"}, "YouTube or Vimeo"),
        ({"specialties": ["999999"]}, "Select a valid choice"),
    ],
)
def test_bad_profile_input_is_explained_and_changes_nothing(client, teacher, overrides, message):
    client.force_login(teacher.user)

    response = client.post("/dashboard/teacher/profile/", profile_data(**overrides))

    assert response.status_code == 200
    assert message in response.text
    fresh = TeacherProfile.objects.get(pk=teacher.pk)
    assert fresh.price_30 == teacher.price_30 and fresh.headline == teacher.headline


def test_a_fake_image_is_refused_and_the_old_photo_kept(client, teacher):
    client.force_login(teacher.user)
    client.post("/dashboard/teacher/profile/", {**profile_data(), "photo": photo_upload()})
    teacher.refresh_from_db()
    old_photo = teacher.photo.name

    fake = SimpleUploadedFile("me.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    response = client.post("/dashboard/teacher/profile/", {**profile_data(), "photo": fake})

    assert response.status_code == 200
    teacher.refresh_from_db()
    assert teacher.photo.name == old_photo


def test_teacher_uploads_an_intro_video_and_it_is_served_with_a_fixed_type(client, teacher):
    client.force_login(teacher.user)

    client.post("/dashboard/teacher/profile/", {**profile_data(), "intro_video": mp4_upload()})

    teacher.refresh_from_db()
    assert teacher.intro_video.name.endswith(".mp4")
    response = client.get(teacher.intro_video.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_video_link_is_stored_as_a_privacy_friendly_embed(client, teacher):
    client.force_login(teacher.user)
    client.post(
        "/dashboard/teacher/profile/",
        profile_data(intro_video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    )
    teacher.refresh_from_db()
    assert teacher.intro_video_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def test_staff_edit_any_teacher_and_publish_them(client, teacher):
    client.force_login(StaffFactory())

    response = client.post(
        f"/staff/teachers/{teacher.pk}/edit/",
        {**profile_data(), "slug": "claire-d", "is_published": "on"},
    )

    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.is_published and teacher.slug == "claire-d"
    assert client.get("/teachers/claire-d/").status_code == 200


def test_a_teacher_cannot_edit_another_teacher(client, teacher):
    other = TeacherProfileFactory()
    client.force_login(teacher.user)
    assert client.post(f"/staff/teachers/{other.pk}/edit/", profile_data()).status_code == 404


def test_unpublished_teachers_are_not_public(client, teacher):
    assert client.get(f"/teachers/{teacher.slug}/").status_code == 404
