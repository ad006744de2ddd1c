from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress

from petittalk.accounts.models import Role, User
from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.teachers.models import TeacherProfile

pytestmark = pytest.mark.django_db

INVITE = {"display_name": "Margaux Petit", "email": "Margaux@Example.com"}
NEW_PASSWORD = {"new_password1": "bonjour-la-classe-77", "new_password2": "bonjour-la-classe-77"}


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def invite(staff_client, django_capture_on_commit_callbacks, data=INVITE):
    with django_capture_on_commit_callbacks(execute=True):
        return staff_client.post("/staff/teachers/invite/", data)


def invite_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/invite/\S+/)", message.body).group(1)


def test_staff_invite_creates_a_hidden_teacher_without_password_and_emails_a_link(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    response = invite(staff_client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    teacher = User.objects.get(email="margaux@example.com")
    assert teacher.role == Role.TEACHER
    assert not teacher.has_usable_password()
    profile = TeacherProfile.objects.get(user=teacher)
    assert profile.is_published is False
    assert profile.slug == "margaux-petit"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["margaux@example.com"]
    assert "/invite/" in mailoutbox[0].body
    assert mailoutbox[0].alternatives  # HTML part too


def test_invite_link_sets_the_password_once_then_is_dead(
    client, staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    invite(staff_client, django_capture_on_commit_callbacks)
    staff_client.logout()
    path = invite_path(mailoutbox[0])

    assert client.get(path).status_code == 200
    response = client.post(path, NEW_PASSWORD)

    assert response.status_code == 302
    assert response.url == "/dashboard/teacher/profile/"
    teacher = User.objects.get(email="margaux@example.com")
    assert teacher.check_password(NEW_PASSWORD["new_password1"])
    assert EmailAddress.objects.get(user=teacher).verified is True
    assert client.get("/dashboard/teacher/").status_code == 200

    client.logout()
    assert client.get(path).status_code == 404
    again = client.post(
        path, {"new_password1": "another-pass-99", "new_password2": "another-pass-99"}
    )
    assert again.status_code == 404
    teacher.refresh_from_db()
    assert teacher.check_password(NEW_PASSWORD["new_password1"])


def test_a_tampered_invite_token_is_refused(
    client, staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    invite(staff_client, django_capture_on_commit_callbacks)
    path = invite_path(mailoutbox[0])
    tampered = path[:-3] + ("aa/" if not path.endswith("aa/") else "bb/")

    assert client.post(tampered, NEW_PASSWORD).status_code == 404
    assert not User.objects.get(email="margaux@example.com").has_usable_password()


def test_a_weak_password_on_the_invite_page_is_refused(
    client, staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    invite(staff_client, django_capture_on_commit_callbacks)
    path = invite_path(mailoutbox[0])

    response = client.post(path, {"new_password1": "123", "new_password2": "123"})

    assert response.status_code == 200
    assert not User.objects.get(email="margaux@example.com").has_usable_password()


def test_inviting_an_existing_email_is_refused_and_writes_nothing(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    StudentFactory(email="margaux@example.com")

    response = invite(staff_client, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "already exists" in response.text
    assert not TeacherProfile.objects.exists()
    assert mailoutbox == []


def test_resending_an_invitation_mails_a_fresh_link(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    invite(staff_client, django_capture_on_commit_callbacks)
    teacher = User.objects.get(email="margaux@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/staff/teachers/{teacher.pk}/resend-invite/")

    assert len(mailoutbox) == 2


def test_students_cannot_invite_teachers(client, mailoutbox):
    client.force_login(StudentFactory())
    response = client.post("/staff/teachers/invite/", INVITE)
    assert response.status_code == 404
    assert not User.objects.filter(role=Role.TEACHER).exists()
