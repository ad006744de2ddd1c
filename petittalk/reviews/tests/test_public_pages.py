"""Ratings and reviews on the teacher page and in the directory, cached for visitors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.bookings.models import Booking, BookingStatus
from petittalk.reviews import services
from petittalk.reviews.models import Review
from petittalk.reviews.tests.factories import CompletedBookingFactory
from petittalk.teachers.tests.factories import TeacherProfileFactory
from petittalk.testing.caches import forget_cached_content

pytestmark = pytest.mark.django_db


def published_teacher(**extra):
    return TeacherProfileFactory(is_published=True, **extra)


def review(teacher, rating, text="", student=None):
    lesson = CompletedBookingFactory(teacher=teacher, **({"student": student} if student else {}))
    return services.review_create(student=lesson.student, booking=lesson, rating=rating, text=text)


def test_the_teacher_page_shows_average_count_distribution_and_replies(client):
    teacher = published_teacher()
    for rating in (5, 5, 4, 2):
        review(teacher, rating, text=f"Rated {rating}")
    answered = Review.objects.filter(rating=2).get()
    services.review_reply(review=answered, teacher=teacher.user, text="Sorry to hear that")

    page = client.get(teacher.get_absolute_url()).text

    assert "4.0" in page and "4 reviews" in page
    assert 'data-stars="5" data-count="2"' in page and 'data-stars="1" data-count="0"' in page
    assert "Rated 2" in page and "Sorry to hear that" in page


def test_reviews_are_paginated_latest_first(client):
    teacher = published_teacher()
    now = timezone.now()
    for n in range(7):
        lesson = CompletedBookingFactory(teacher=teacher)
        services.review_create(
            student=lesson.student,
            booking=lesson,
            rating=5,
            text=f"Review number {n}",
            now=now + dt.timedelta(minutes=n),
        )
    first = client.get(teacher.get_absolute_url()).text
    second = client.get(teacher.get_absolute_url() + "?reviews=2").text
    assert "Review number 6" in first and "Review number 1" not in first
    assert "Review number 1" in second and "Review number 6" not in second
    assert "reviews=2" in first


def test_review_text_with_html_is_shown_escaped(client):
    teacher = published_teacher()
    review(teacher, 5, text="<script>alert('x')</script>")
    page = client.get(teacher.get_absolute_url()).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_a_new_review_shows_at_once_on_the_cached_teacher_page_and_directory(client):
    teacher = published_teacher()
    assert "No reviews yet" in client.get(teacher.get_absolute_url()).text
    client.get("/teachers/")  # both now cached for visitors

    review(teacher, 4, text="Lovely lesson")

    assert "Lovely lesson" in client.get(teacher.get_absolute_url()).text
    assert "4.0" in client.get("/teachers/").text


def test_a_hidden_review_disappears_at_once_but_its_author_and_staff_still_see_it(client):
    teacher = published_teacher()
    author = StudentFactory()
    rude = review(teacher, 1, text="Rude words", student=author)
    assert "Rude words" in client.get(teacher.get_absolute_url()).text

    services.review_hide(review=rude, by=StaffFactory(), reason="Insults")

    public = client.get(teacher.get_absolute_url()).text
    assert "Rude words" not in public and "No reviews yet" in public
    client.force_login(author)
    assert "Rude words" in client.get(teacher.get_absolute_url()).text
    client.force_login(StaffFactory())
    assert "Rude words" in client.get(teacher.get_absolute_url()).text


def test_the_directory_shows_ratings_sorts_by_them_and_filters_4_stars_and_up(client):
    good = published_teacher(user__display_name="Good Teacher")
    fair = published_teacher(user__display_name="Fair Teacher")
    new = published_teacher(user__display_name="New Teacher")
    review(good, 5)
    review(good, 4)
    review(fair, 3)

    by_rating = client.get("/teachers/?sort=rating").text
    assert by_rating.index("Good Teacher") < by_rating.index("Fair Teacher")
    assert by_rating.index("Fair Teacher") < by_rating.index("New Teacher")
    assert "4.5" in by_rating and "(2)" in by_rating

    top = client.get("/teachers/?rating=4").text
    assert "Good Teacher" in top
    assert "Fair Teacher" not in top and "New Teacher" not in top
    assert new.pk


def add_reviews(teacher, count):
    """`count` completed lessons with reviews, by bulk_create (which bumps no version)."""
    start = Booking.objects.count()
    students = StudentFactory.create_batch(2)
    base = timezone.now() - dt.timedelta(days=3000)
    lessons = Booking.objects.bulk_create(
        Booking(
            teacher=teacher,
            student=students[n % 2],
            starts_at=base + dt.timedelta(hours=2 * (n + start)),
            ends_at=base + dt.timedelta(hours=2 * (n + start), minutes=60),
            duration_minutes=60,
            status=BookingStatus.COMPLETED,
            level="B1",
            purpose="conversation",
            price="22.00",
        )
        for n in range(count)
    )
    Review.objects.bulk_create(
        Review(
            booking=lesson,
            student=lesson.student,
            teacher=teacher,
            rating=1 + n % 5,
            text=f"Review {n}",
            created_at=lesson.ends_at,
            updated_at=lesson.ends_at,
            reply="Merci" if n % 2 else "",
            replied_at=lesson.ends_at if n % 2 else None,
        )
        for n, lesson in enumerate(lessons)
    )


@pytest.mark.parametrize("url", ["teacher", "/teachers/", "/teachers/?sort=rating&rating=4"])
def test_pages_keep_a_constant_query_count_with_0_10_and_1000_reviews(client, url):
    teacher = published_teacher()
    others = [published_teacher() for _ in range(3)]
    address = teacher.get_absolute_url() if url == "teacher" else url

    def queries() -> int:
        forget_cached_content()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(address)
        assert response.status_code == 200
        return len(captured)

    with_none = queries()
    add_reviews(teacher, 10)
    for other in others:
        add_reviews(other, 10)
    with_ten = queries()
    add_reviews(teacher, 990)
    with_thousand = queries()
    assert Review.objects.filter(teacher=teacher).count() == 1000
    assert with_none == with_ten == with_thousand
    print(f"{url}: {with_thousand} queries")
