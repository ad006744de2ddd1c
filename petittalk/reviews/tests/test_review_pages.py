"""The student's review page and the dashboard's links to it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.reviews.models import Review
from petittalk.reviews.tests.factories import CompletedBookingFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def url(booking):
    return reverse("reviews:lesson", args=[booking.pk])


def test_a_student_rates_a_completed_lesson_from_the_review_page(client):
    lesson = CompletedBookingFactory()
    client.force_login(lesson.student)
    assert client.get(url(lesson)).status_code == 200

    response = client.post(url(lesson), {"rating": "4", "text": "Très bien"}, follow=True)

    review = Review.objects.get(booking=lesson)
    assert (review.rating, review.text) == (4, "Très bien")
    assert "Thank you for your review" in response.content.decode()


def test_the_review_page_of_another_students_lesson_is_a_404(client):
    lesson = CompletedBookingFactory()
    client.force_login(StudentFactory())
    assert client.get(url(lesson)).status_code == 404
    assert client.post(url(lesson), {"rating": "1"}).status_code == 404
    assert not Review.objects.exists()


def test_a_lesson_still_to_come_cannot_be_reviewed_and_says_why(client):
    lesson = BookingFactory(status=BookingStatus.CONFIRMED)
    client.force_login(lesson.student)
    response = client.post(url(lesson), {"rating": "5"})
    assert response.status_code == 200
    assert "once it has taken place" in response.content.decode()
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [({"rating": "9"}, "Select a valid choice"), ({}, "This field is required")],
)
def test_a_bad_rating_is_refused_with_a_message(client, data, message):
    lesson = CompletedBookingFactory()
    client.force_login(lesson.student)
    response = client.post(url(lesson), data)
    assert message in response.content.decode()
    assert not Review.objects.exists()


def test_an_over_long_text_is_refused(client):
    lesson = CompletedBookingFactory()
    client.force_login(lesson.student)
    response = client.post(url(lesson), {"rating": "5", "text": "x" * 2001})
    assert "at most 2000 characters" in response.content.decode()
    assert not Review.objects.exists()


def test_the_student_edits_their_review_on_the_same_page(client):
    review = ReviewFactory(rating=2, text="Meh")
    client.force_login(review.student)
    page = client.get(url(review.booking)).content.decode()
    assert "Edit your review" in page and "Meh" in page

    client.post(url(review.booking), {"rating": "5", "text": "Actually great"})
    review.refresh_from_db()
    assert (review.rating, review.text) == (5, "Actually great")


def test_reviewing_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "review_write": "2/m/key"}
    review = ReviewFactory(rating=2)
    client.force_login(review.student)
    for _ in range(2):
        client.post(url(review.booking), {"rating": "3"})
    response = client.post(url(review.booking), {"rating": "5"})
    assert response.status_code == 429
    review.refresh_from_db()
    assert review.rating == 3


def test_the_dashboard_offers_review_then_edit_on_completed_lessons(client):
    lesson = CompletedBookingFactory()
    client.force_login(lesson.student)
    dashboard = client.get(reverse("accounts:student_home")).content.decode()
    assert "Review this lesson" in dashboard and url(lesson) in dashboard

    ReviewFactory(booking=lesson)
    dashboard = client.get(reverse("accounts:student_home")).content.decode()
    assert "Edit review" in dashboard and "Review this lesson" not in dashboard
