from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from petittalk.accounts.models import StudentProfile
from petittalk.accounts.tests.factories import PASSWORD, StudentFactory
from petittalk.testing.media import photo_upload

pytestmark = pytest.mark.django_db


def test_password_reset_mails_a_link_that_sets_a_new_password(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    student = StudentFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": student.email})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mailoutbox[0].body)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "nouveau-mot-de-passe-7", "password2": "nouveau-mot-de-passe-7"},
    )
    student.refresh_from_db()
    assert student.check_password("nouveau-mot-de-passe-7")


def test_password_change_needs_the_current_password(client):
    student = StudentFactory()
    client.force_login(student)

    wrong = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "not-it",
            "password1": "brand-new-pass-31",
            "password2": "brand-new-pass-31",
        },
    )
    assert wrong.status_code == 200
    student.refresh_from_db()
    assert student.check_password(PASSWORD)

    client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "brand-new-pass-31",
            "password2": "brand-new-pass-31",
        },
    )
    student.refresh_from_db()
    assert student.check_password("brand-new-pass-31")


def test_student_saves_level_goals_and_a_re_encoded_photo(client):
    student = StudentFactory()
    client.force_login(student)

    response = client.post(
        "/dashboard/profile/",
        {
            "level": "B1",
            "learning_goals": "Pass DELF B2",
            "photo": photo_upload("selfie.png", fmt="PNG"),
        },
    )

    assert response.status_code == 302
    profile = StudentProfile.objects.get(user=student)
    assert profile.level == "B1" and profile.learning_goals == "Pass DELF B2"
    assert profile.photo.name.endswith(".jpg") and "selfie" not in profile.photo.name
    assert profile.photo_thumbnail


def test_student_profile_refuses_an_unknown_level_and_a_fake_photo_and_keeps_the_old(client):
    student = StudentFactory()
    client.force_login(student)
    StudentProfile.objects.filter(user=student).update(level="A2")

    bad_level = client.post("/dashboard/profile/", {"level": "Z9", "learning_goals": ""})
    fake = SimpleUploadedFile("cat.jpg", b"GIF89a<script>alert(1)</script>", "image/jpeg")
    bad_photo = client.post(
        "/dashboard/profile/", {"level": "B2", "learning_goals": "x", "photo": fake}
    )

    assert bad_level.status_code == bad_photo.status_code == 200
    profile = StudentProfile.objects.get(user=student)
    assert profile.level == "A2" and not profile.photo
