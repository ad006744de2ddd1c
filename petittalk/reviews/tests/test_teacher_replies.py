"""The teacher reads the reviews of their lessons and replies once to each."""

from __future__ import annotations

import pytest
from django.urls import reverse

from petittalk.reviews.models import Review
from petittalk.reviews.tests.factories import ReviewFactory
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


def test_the_teacher_sees_their_reviews_and_replies_once(client):
    review = ReviewFactory(text="<b>Great</b> lesson")
    client.force_login(review.teacher.user)
    page = client.get(reverse("reviews:teacher_reviews")).text
    assert "&lt;b&gt;Great&lt;/b&gt; lesson" in page and "Reply" in page

    reply_url = reverse("reviews:reply", args=[review.pk])
    response = client.post(reply_url, {"text": "Merci beaucoup"}, follow=True)
    assert "Your reply is published" in response.text
    again = client.post(reply_url, {"text": "Second try"}, follow=True)
    assert "already replied" in again.text

    review.refresh_from_db()
    assert review.reply == "Merci beaucoup"


def test_a_teacher_cannot_reply_to_another_teachers_review(client):
    review = ReviewFactory()
    client.force_login(TeacherProfileFactory().user)
    response = client.post(reverse("reviews:reply", args=[review.pk]), {"text": "Hi"})
    assert response.status_code == 404
    assert not Review.objects.exclude(reply="").exists()


def test_an_empty_reply_is_refused_with_a_message(client):
    review = ReviewFactory()
    client.force_login(review.teacher.user)
    response = client.post(reverse("reviews:reply", args=[review.pk]), {"text": "  "}, follow=True)
    assert "This field is required" in response.text
    review.refresh_from_db()
    assert review.replied_at is None


def test_the_teacher_dashboard_links_to_their_reviews(client):
    teacher = TeacherProfileFactory()
    client.force_login(teacher.user)
    assert reverse("reviews:teacher_reviews") in client.get(reverse("teachers:dashboard")).text
