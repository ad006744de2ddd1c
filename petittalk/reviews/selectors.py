"""Reads of reviews, scoped to the viewer: another person's lesson or review is a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Window
from django.shortcuts import get_object_or_404
from django.utils import timezone

from petittalk.accounts.models import User
from petittalk.bookings.models import Booking
from petittalk.reviews.models import STARS, Review
from petittalk.teachers.models import TeacherProfile

REVIEWS_PER_PAGE = 5


def student_lesson(user: User, booking_id: int) -> Booking:
    """One of the student's own lessons, with its teacher, for the review page."""
    return get_object_or_404(
        Booking.objects.select_related("teacher__user"), pk=booking_id, student=user
    )


def review_of_lesson(booking: Booking) -> Review | None:
    return Review.objects.filter(booking=booking).first()


def reviews_by_lesson(user: User, booking_ids: Iterable[int]) -> dict[int, Review]:
    """The student's reviews of these lessons, by lesson id (one query, for the dashboard)."""
    reviews = Review.objects.filter(student=user, booking_id__in=list(booking_ids))
    return {review.booking_id: review for review in reviews}


@dataclass(frozen=True)
class StarCount:
    stars: int
    count: int
    percent: int


def rating_distribution(teacher: TeacherProfile) -> list[StarCount]:
    """How many visible reviews gave 5★, 4★ … 1★ (one query, whatever their number)."""
    counts = Review.objects.filter(teacher=teacher, is_hidden=False).aggregate(
        **{f"s{stars}": Count("pk", filter=Q(rating=stars)) for stars in STARS}
    )
    total = sum(counts.values())
    return [
        StarCount(
            stars=stars,
            count=counts[f"s{stars}"],
            percent=round(100 * counts[f"s{stars}"] / total) if total else 0,
        )
        for stars in STARS
    ]


def _visible_to(viewer: User | None) -> Q:
    if viewer is not None and viewer.is_authenticated and viewer.is_staff:
        return Q()
    if viewer is not None and viewer.is_authenticated:
        return Q(is_hidden=False) | Q(student=viewer)
    return Q(is_hidden=False)


def teacher_reviews_page(teacher: TeacherProfile, *, viewer: User | None, page: str | None) -> Page:
    """The latest reviews on a teacher's page: hidden ones only for their author and staff."""
    reviews = (
        Review.objects.filter(teacher=teacher)
        .filter(_visible_to(viewer))
        .select_related("student")
        .order_by("-created_at", "-pk")
    )
    # One query for the page and the total (a window count), so the page costs the same with no
    # reviews as with a thousand; Paginator would COUNT first and skip an empty page's fetch.
    try:
        number = max(1, int(page or 1))
    except ValueError:
        number = 1
    start = (number - 1) * REVIEWS_PER_PAGE
    rows = list(reviews.annotate(total=Window(Count("pk")))[start : start + REVIEWS_PER_PAGE])
    if not rows and number > 1:
        return teacher_reviews_page(teacher, viewer=viewer, page="1")
    paginator = Paginator(reviews, REVIEWS_PER_PAGE)
    paginator.count = rows[0].total if rows else 0
    return Page(rows, number, paginator)


def reviews_for_teacher(user: User) -> QuerySet[Review]:
    """Every review of the teacher's lessons, hidden ones included (they may reply to any)."""
    return (
        Review.objects.filter(teacher__user=user)
        .select_related("student", "booking")
        .order_by("-created_at", "-pk")
    )


def teacher_review(user: User, review_id: int) -> Review:
    return get_object_or_404(reviews_for_teacher(user), pk=review_id)


class Visibility:
    """The staff list's filter (staff/tests/test_staff_in_one_place.py: statuses by name)."""

    ALL = "all"
    VISIBLE = "visible"
    HIDDEN = "hidden"
    CHOICES = ((ALL, "All"), (VISIBLE, "Visible"), (HIDDEN, "Hidden"))


def staff_reviews(*, visibility: str = Visibility.ALL) -> QuerySet[Review]:
    reviews = Review.objects.select_related("student", "teacher__user", "hidden_by").order_by(
        "-created_at", "-pk"
    )
    if visibility == Visibility.VISIBLE:
        return reviews.filter(is_hidden=False)
    if visibility == Visibility.HIDDEN:
        return reviews.filter(is_hidden=True)
    return reviews


def staff_review(review_id: int) -> Review:
    return get_object_or_404(staff_reviews(), pk=review_id)


# Reviews go live at once (they are verified by the lesson); staff read the new ones and hide any
# that break the rules, so "waiting" means written this past week and still shown.
NEW_REVIEW_DAYS = 7


def new_review_count() -> int:
    """Reviews written in the last week and not hidden. One query."""
    since = timezone.now() - dt.timedelta(days=NEW_REVIEW_DAYS)
    return Review.objects.filter(created_at__gte=since, is_hidden=False).count()
