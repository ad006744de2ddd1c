"""Testimonials: a user writes one, staff approve, reject (with a reason) or delete it, and
approved ones show on the home page at once, cached or not."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.urls import reverse

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.audit.models import AuditEntry

# Modules, not names: pytest would try to collect classes named Test… imported here.
from petittalk.community import models
from petittalk.community.tests import factories
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script> and a long enough sentence'
GOOD_TEXT = "Three months of lessons and I finally ordered in French without panicking."


@pytest.fixture
def staff_client(client):
    staff = StaffFactory(email="sophie@petittalk.test")
    client.force_login(staff)
    client.staff = staff
    return client


def anonymous_home(client) -> str:
    client.logout()
    client.cookies.clear()
    return client.get("/").content.decode()


def test_moderation_flow_from_submission_to_the_home_page(client, staff_client):
    author = StudentFactory(display_name="Amélie")
    assert GOOD_TEXT not in anonymous_home(client)  # fills the visitors' cache
    client.force_login(author)

    response = client.post(reverse("community:testimonial_new"), {"text": f"  {GOOD_TEXT}  "})

    assert response.status_code == 302
    testimonial = models.Testimonial.objects.get()
    assert (testimonial.author, testimonial.text) == (author, GOOD_TEXT)
    assert testimonial.status == models.TestimonialStatus.PENDING
    assert GOOD_TEXT not in anonymous_home(client)

    staff = StaffFactory()
    client.force_login(staff)
    queue = client.get(reverse("staff:testimonial_list"))
    assert GOOD_TEXT in queue.content.decode()
    client.post(reverse("staff:testimonial_approve", args=[testimonial.pk]))

    home = anonymous_home(client)
    assert GOOD_TEXT in home and "Amélie" in home
    assert AuditEntry.objects.filter(action="testimonial.approved", actor=staff).exists()


def test_a_deleted_testimonial_leaves_the_cached_home_page_at_once(client):
    testimonial = factories.TestimonialFactory(
        status=models.TestimonialStatus.APPROVED, text=GOOD_TEXT
    )
    assert GOOD_TEXT in anonymous_home(client)
    staff = StaffFactory()
    client.force_login(staff)

    client.post(reverse("staff:testimonial_delete", args=[testimonial.pk]))

    assert not models.Testimonial.objects.exists()
    assert GOOD_TEXT not in anonymous_home(client)
    assert AuditEntry.objects.filter(action="testimonial.deleted", actor=staff).exists()


def test_a_rejected_testimonial_shows_its_reason_to_the_author_only(client):
    testimonial = factories.TestimonialFactory(text=GOOD_TEXT)
    client.force_login(StaffFactory())

    client.post(
        reverse("staff:testimonial_reject", args=[testimonial.pk]),
        {"reason": "Please leave out the teacher's phone number."},
    )

    testimonial.refresh_from_db()
    assert testimonial.status == models.TestimonialStatus.REJECTED
    client.force_login(testimonial.author)
    own = client.get(reverse("community:testimonial_list")).content.decode()
    assert "Please leave out the teacher&#x27;s phone number." in own and "Rejected" in own
    client.force_login(StudentFactory())
    other = client.get(reverse("community:testimonial_list")).content.decode()
    assert "phone number" not in other
    assert GOOD_TEXT not in anonymous_home(client)


def test_rejecting_needs_a_reason(client):
    testimonial = factories.TestimonialFactory()
    client.force_login(StaffFactory())

    response = client.post(reverse("staff:testimonial_reject", args=[testimonial.pk]), {})

    testimonial.refresh_from_db()
    assert testimonial.status == models.TestimonialStatus.PENDING
    assert "Give the author a reason" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_one_pending_testimonial_per_user(client):
    author = StudentFactory()
    factories.TestimonialFactory(author=author)
    client.force_login(author)

    response = client.post(reverse("community:testimonial_new"), {"text": GOOD_TEXT})

    assert response.status_code == 400
    assert "already have a testimonial waiting" in response.content.decode()
    assert models.Testimonial.objects.count() == 1


def test_the_database_refuses_a_second_pending_testimonial():
    first = factories.TestimonialFactory()
    factories.TestimonialFactory(author=first.author, status=models.TestimonialStatus.APPROVED)
    with pytest.raises(IntegrityError):
        factories.TestimonialFactory(author=first.author)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write a few words"), ("   short   ", "at least 20"), ("x" * 601, "at most 600")],
)
def test_bad_testimonial_text_is_refused_and_nothing_written(client, text, message):
    client.force_login(StudentFactory())

    response = client.post(reverse("community:testimonial_new"), {"text": text})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not models.Testimonial.objects.exists()


def test_html_in_a_testimonial_is_shown_escaped(client):
    factories.TestimonialFactory(
        status=models.TestimonialStatus.APPROVED,
        text=XSS,
        author=StudentFactory(display_name=XSS[:30]),
    )

    home = anonymous_home(client)

    assert "<script>alert" not in home
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in home


def test_an_author_without_a_photo_gets_an_initial_and_a_teacher_their_photo(client):
    factories.TestimonialFactory(
        status=models.TestimonialStatus.APPROVED, author=StudentFactory(display_name="zoé")
    )
    teacher = TeacherProfileFactory(photo_thumbnail="teachers/claire-thumb.jpg")
    factories.TestimonialFactory(status=models.TestimonialStatus.APPROVED, author=teacher.user)

    home = anonymous_home(client)

    assert '<span class="testimonial-avatar avatar-placeholder" aria-hidden="true">Z</span>' in home
    assert "teachers/claire-thumb.jpg" in home


def test_submitting_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "testimonial_submit": "2/h/user",
    }
    author = StudentFactory()
    client.force_login(author)
    for _ in range(2):
        client.post(reverse("community:testimonial_new"), {"text": "x"})  # refused, but counted

    response = client.post(reverse("community:testimonial_new"), {"text": GOOD_TEXT})

    assert response.status_code == 429
    assert not models.Testimonial.objects.exists()


def test_the_author_page_lists_their_testimonials_with_status(client):
    author = StudentFactory()
    factories.TestimonialFactory(
        author=author, status=models.TestimonialStatus.APPROVED, text=GOOD_TEXT
    )
    factories.TestimonialFactory(text="Someone else's words about the site, long enough.")
    client.force_login(author)

    page = client.get(reverse("community:testimonial_list")).content.decode()

    assert GOOD_TEXT in page and "Published" in page
    assert "Someone else" not in page


def test_visitors_are_sent_to_log_in_and_staff_cannot_submit(client):
    assert client.get(reverse("community:testimonial_new")).status_code == 302
    client.force_login(StaffFactory())
    assert client.post(reverse("community:testimonial_new"), {"text": GOOD_TEXT}).status_code == 404
    assert not models.Testimonial.objects.exists()


def test_nobody_but_staff_reaches_the_moderation_pages(client):
    testimonial = factories.TestimonialFactory()
    client.force_login(StudentFactory())
    urls = [
        ("get", reverse("staff:testimonial_list")),
        ("post", reverse("staff:testimonial_approve", args=[testimonial.pk])),
        ("post", reverse("staff:testimonial_reject", args=[testimonial.pk])),
        ("post", reverse("staff:testimonial_delete", args=[testimonial.pk])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url, {"reason": "no"}).status_code == 404, url
    testimonial.refresh_from_db()
    assert testimonial.status == models.TestimonialStatus.PENDING


def test_approving_twice_is_refused(client):
    testimonial = factories.TestimonialFactory(status=models.TestimonialStatus.APPROVED)
    client.force_login(StaffFactory())

    response = client.post(reverse("staff:testimonial_approve", args=[testimonial.pk]), follow=True)

    assert "no longer waiting" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_the_dashboard_and_settings_link_to_the_testimonials(client):
    student = StudentFactory()
    client.force_login(student)
    link = 'href="/testimonials/"'
    assert link in client.get(reverse("accounts:student_home")).content.decode()
    assert link in client.get(reverse("accounts:settings")).content.decode()
    teacher = TeacherProfileFactory()
    client.force_login(teacher.user)
    assert link in client.get(reverse("teachers:dashboard")).content.decode()
