from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from petittalk.accounts.models import Role, StudentProfile, User
from petittalk.accounts.tests.factories import PASSWORD, StaffFactory, StudentFactory
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new.student@example.com",
    "display_name": "Nora",
    "timezone": "America/Chicago",
    "password1": "une-phrase-secrete-42",
    "password2": "une-phrase-secrete-42",
}


def test_signup_creates_a_student_with_profile_zone_and_verification_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    user = User.objects.get(email="new.student@example.com")
    assert user.role == Role.STUDENT
    assert user.timezone == "America/Chicago"
    assert user.display_name == "Nora"
    assert StudentProfile.objects.filter(user=user).exists()
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mailoutbox) == 1
    assert "confirm" in mailoutbox[0].body.lower()
    assert mailoutbox[0].to == ["new.student@example.com"]


def test_signup_with_an_unknown_time_zone_is_refused_and_creates_nothing(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "timezone": "Mars/Olympus"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_email_confirmation_link_verifies_the_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
    link = next(line for line in mailoutbox[0].body.splitlines() if "/confirm-email/" in line)
    path = link[link.index("/accounts/") :].strip()

    client.post(path)

    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified is True


@pytest.mark.parametrize(
    ("factory", "home"),
    [
        (StudentFactory, "/dashboard/student/"),
        (StaffFactory, "/staff/"),
        (lambda: TeacherProfileFactory().user, "/dashboard/teacher/"),
    ],
)
def test_dashboard_sends_each_role_to_its_own_home(client, factory, home):
    client.force_login(factory())
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.url == home
    assert client.get(home).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/teacher/",
        "/dashboard/teacher/profile/",
        "/staff/",
        "/staff/teachers/",
        "/staff/teachers/invite/",
    ],
)
def test_a_student_cannot_reach_teacher_or_staff_pages(client, url):
    client.force_login(StudentFactory())
    assert client.get(url).status_code == 404


def test_a_teacher_cannot_reach_staff_or_student_pages(client):
    client.force_login(TeacherProfileFactory().user)
    assert client.get("/staff/teachers/").status_code == 404
    assert client.get("/dashboard/student/").status_code == 404


def test_a_student_cannot_edit_a_teacher_through_the_staff_url(client):
    teacher = TeacherProfileFactory()
    client.force_login(StudentFactory())
    response = client.post(f"/staff/teachers/{teacher.pk}/edit/", {"headline": "hacked"})
    assert response.status_code == 404
    teacher.refresh_from_db()
    assert teacher.headline != "hacked"


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/student/", "/staff/"])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_login_with_email_and_password(client):
    student = StudentFactory()
    response = client.post(reverse("account_login"), {"login": student.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard/student/").status_code == 200


def test_repeated_failed_logins_are_throttled_even_with_the_right_password(client):
    student = StudentFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": student.email, "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": student.email, "password": PASSWORD})

    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client):
    client.force_login(StudentFactory())
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_account_settings_change_time_zone_and_refuse_unknown_ones(client):
    student = StudentFactory(timezone="Europe/London")
    client.force_login(student)

    bad = client.post("/dashboard/settings/", {"display_name": "Sam", "timezone": "Nowhere/City"})
    assert bad.status_code == 200
    student.refresh_from_db()
    assert student.timezone == "Europe/London"

    good = client.post("/dashboard/settings/", {"display_name": "Sam", "timezone": "Asia/Tokyo"})
    assert good.status_code == 302
    student.refresh_from_db()
    assert student.timezone == "Asia/Tokyo"
