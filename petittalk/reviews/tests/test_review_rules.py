"""Who may review which lesson, when, and what happens to the teacher's figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.audit.models import AuditEntry
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.core import versions
from petittalk.reviews import services
from petittalk.reviews.models import Review
from petittalk.reviews.tests.factories import CompletedBookingFactory, ReviewFactory
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


def test_a_student_reviews_their_completed_lesson_and_the_teacher_figures_follow():
    teacher = TeacherProfileFactory()
    first, second = CompletedBookingFactory.create_batch(2, teacher=teacher)
    services.review_create(student=first.student, booking=first, rating=5, text=" Super ")
    services.review_create(student=second.student, booking=second, rating=2)

    teacher.refresh_from_db()
    assert teacher.rating_count == 2 and teacher.rating_average == Decimal("3.50")
    assert Review.objects.get(booking=first).text == "Super"


def test_another_students_lesson_cannot_be_reviewed():
    lesson = CompletedBookingFactory()
    with pytest.raises(services.ReviewError, match="your own"):
        services.review_create(student=StudentFactory(), booking=lesson, rating=5)
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "status", [BookingStatus.CONFIRMED, BookingStatus.CANCELLED, BookingStatus.REQUESTED]
)
def test_a_lesson_that_has_not_taken_place_cannot_be_reviewed(status):
    lesson = BookingFactory(status=status)
    with pytest.raises(services.ReviewError, match="taken place"):
        services.review_create(student=lesson.student, booking=lesson, rating=4)
    assert not Review.objects.exists()


def test_a_lesson_is_reviewed_once():
    lesson = CompletedBookingFactory()
    services.review_create(student=lesson.student, booking=lesson, rating=4)
    with pytest.raises(services.ReviewError, match="already reviewed"):
        services.review_create(student=lesson.student, booking=lesson, rating=1)
    assert Review.objects.get().rating == 4


@pytest.mark.parametrize(("rating", "text"), [(0, ""), (6, ""), (5, "x" * 2001)])
def test_a_rating_outside_1_to_5_or_an_over_long_text_is_refused(rating, text):
    lesson = CompletedBookingFactory()
    with pytest.raises(services.ReviewError):
        services.review_create(student=lesson.student, booking=lesson, rating=rating, text=text)
    assert not Review.objects.exists()


def test_a_review_can_be_changed_for_14_days_then_stands():
    lesson = CompletedBookingFactory()
    written = timezone.now()
    review = services.review_create(student=lesson.student, booking=lesson, rating=3, now=written)

    with time_machine.travel(written + dt.timedelta(days=13, hours=23)):
        services.review_edit(review=review, student=lesson.student, rating=5, text="Better")
    late = time_machine.travel(written + dt.timedelta(days=14, minutes=1))
    with late, pytest.raises(services.ReviewError, match="14 days"):
        services.review_edit(review=review, student=lesson.student, rating=1)

    review.refresh_from_db()
    assert (review.rating, review.text) == (5, "Better")
    lesson.teacher.refresh_from_db()
    assert lesson.teacher.rating_average == Decimal("5.00")


def test_only_the_author_changes_a_review():
    review = ReviewFactory(rating=4)
    with pytest.raises(services.ReviewError):
        services.review_edit(review=review, student=StudentFactory(), rating=1)
    review.refresh_from_db()
    assert review.rating == 4


def test_the_teacher_replies_once_and_only_to_their_own_reviews():
    review = ReviewFactory()
    with pytest.raises(services.ReviewError, match="your own"):
        services.review_reply(review=review, teacher=TeacherProfileFactory().user, text="Hi")
    with pytest.raises(services.ReviewError, match="Write"):
        services.review_reply(review=review, teacher=review.teacher.user, text="   ")
    services.review_reply(review=review, teacher=review.teacher.user, text="Merci !")
    with pytest.raises(services.ReviewError, match="already replied"):
        services.review_reply(review=review, teacher=review.teacher.user, text="Again")
    review.refresh_from_db()
    assert review.reply == "Merci !" and review.replied_at is not None


def test_staff_hide_a_review_with_a_reason_and_it_leaves_the_average_then_comes_back():
    teacher = TeacherProfileFactory()
    ReviewFactory(booking=CompletedBookingFactory(teacher=teacher), rating=5)
    rude = ReviewFactory(booking=CompletedBookingFactory(teacher=teacher), rating=1)
    staff = StaffFactory()

    with pytest.raises(services.ReviewError, match="Say why"):
        services.review_hide(review=rude, by=staff, reason="")
    services.review_hide(review=rude, by=staff, reason="Insults the teacher")
    teacher.refresh_from_db()
    assert (teacher.rating_count, teacher.rating_average) == (1, Decimal("5.00"))
    rude.refresh_from_db()
    assert rude.is_hidden and rude.hidden_reason == "Insults the teacher"
    assert rude.hidden_by == staff

    services.review_unhide(review=rude, by=staff)
    teacher.refresh_from_db()
    assert (teacher.rating_count, teacher.rating_average) == (2, Decimal("3.00"))
    assert list(
        AuditEntry.objects.filter(object_id=str(rude.pk)).values_list("action", flat=True)
    ) == ["review.hide", "review.unhide"]


def test_every_review_change_moves_the_teachers_version():
    lesson = CompletedBookingFactory()

    def bumped(change):
        before = versions.read([versions.TEACHERS])
        change()
        return versions.read([versions.TEACHERS]) > before

    review = None

    def create():
        nonlocal review
        review = services.review_create(student=lesson.student, booking=lesson, rating=4)

    assert bumped(create)
    assert bumped(lambda: services.review_edit(review=review, student=lesson.student, rating=2))
    assert bumped(
        lambda: services.review_reply(review=review, teacher=lesson.teacher.user, text="Merci")
    )
    assert bumped(lambda: services.review_hide(review=review, by=StaffFactory(), reason="Spam"))
