"""Each person's home pages: they gather lessons, payments and settings from the apps that own them.

They sit above every app they read from (the layers in docs/architecture.md), so `accounts` and
`teachers` stay free of `bookings` and `orders`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from petittalk.accounts import selectors as account_selectors
from petittalk.accounts import services as account_services
from petittalk.accounts.access import student_required, teacher_required
from petittalk.accounts.forms import AccountSettingsForm
from petittalk.accounts.models import Role
from petittalk.bookings.calendar import calendar_feed_of
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.selectors import (
    StudentLessons,
    TeacherLessons,
    answer_deadline,
    calendar_feed_for,
    student_lessons,
    student_lessons_change_at,
    teacher_earnings,
    teacher_lessons,
    teacher_lessons_ahead,
    teacher_lessons_change_at,
    week_of_lessons,
)
from petittalk.bookings.services import booking_can_reschedule, booking_cancellation_terms
from petittalk.core import versions
from petittalk.core.pagecache import cached_private_page
from petittalk.newsletter import wording as newsletter_wording
from petittalk.newsletter.selectors import subscription_for_user
from petittalk.orders.selectors import refundable_amounts
from petittalk.reviews import models as review_models
from petittalk.reviews import selectors as review_selectors
from petittalk.teachers import selectors as teacher_selectors

HOME_BY_ROLE = {
    Role.STUDENT: "accounts:student_home",
    Role.TEACHER: "teachers:dashboard",
    Role.STAFF: "staff:home",
}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """`/dashboard/`: one address for everyone, each role lands on its own home."""
    return redirect(HOME_BY_ROLE[Role(request.user.role)])


@student_required
def student_home(request: HttpRequest) -> HttpResponse:
    # Kept for this student alone, under the versions of all it shows: their own lessons,
    # payments, reviews and account (their scope), and the teachers named.
    return cached_private_page(
        request,
        name="student-home",
        content_versions=lambda: versions.read(
            [versions.person_scope(request.user.pk), versions.TEACHERS]
        ),
        render=lambda: _student_home(request),
        query_names=[field.name for field in dataclasses.fields(StudentLessons)],  # page numbers
    )


def _student_home(request: HttpRequest) -> HttpResponse:
    profile = account_selectors.student_profile_of(request.user)
    now = timezone.now()
    lessons = student_lessons(request.user, now=now, pages=request.GET)
    actionable = [*lessons.upcoming, *lessons.awaiting]
    paid = refundable_amounts(actionable)
    for booking in actionable:
        # Said on the buttons, so the student knows the refund before clicking.
        booking.cancel_terms = booking_cancellation_terms(booking, by=request.user, now=now)
        booking.refund_amount = paid[booking.pk] if booking.cancel_terms.refunded else None
        booking.can_move = booking_can_reschedule(booking, by=request.user, now=now)
    reviews = review_selectors.reviews_by_lesson(request.user, [b.pk for b in lessons.past])
    for booking in lessons.past:
        review = reviews.get(booking.pk)
        if booking.status != BookingStatus.COMPLETED:
            continue
        if review is None:
            booking.review_label = "Review this lesson"
        elif now <= review.editable_until():
            booking.review_label = "Edit review"
    response = render(
        request,
        "dashboards/student_home.html",
        {"profile": profile, "lessons": lessons, "queries": _queries_without(request, lessons)},
    )
    response.changes_at = student_lessons_change_at(
        request.user, now=now, review_edit_window=review_models.EDIT_WINDOW
    )
    return response


@teacher_required
def teacher_home(request: HttpRequest) -> HttpResponse:
    # Kept for this teacher alone, under the versions of all it shows: their calendar (lessons,
    # reviews), their account, their public profile and their students' names.
    profile_id = teacher_selectors.teacher_profile_id_of(request.user)
    return cached_private_page(
        request,
        name="teacher-home",
        content_versions=lambda: versions.read(
            [
                versions.person_scope(request.user.pk),
                versions.teacher_scope(profile_id),
                versions.TEACHERS,
                versions.PEOPLE,
            ]
        ),
        render=lambda: _teacher_home(request),
        query_names=[field.name for field in dataclasses.fields(TeacherLessons)],  # page numbers
    )


def _teacher_home(request: HttpRequest) -> HttpResponse:
    profile = teacher_selectors.teacher_profile_of(request.user)
    checklist = [
        ("Add a photo of your face", bool(profile.photo)),
        ("Write a headline and a bio", bool(profile.headline and profile.bio)),
        ("Add an intro video", bool(profile.intro_video or profile.intro_video_url)),
        ("Choose your specialties", bool(profile.specialties.all())),
    ]
    now = timezone.now()
    lessons = teacher_lessons(request.user, now=now, pages=request.GET)
    for booking in lessons.requests:
        booking.answer_by = answer_deadline(booking)
    zone = zoneinfo.ZoneInfo(request.viewer_timezone)
    today = now.astimezone(zone).date()
    week_end = dt.datetime.combine(today + dt.timedelta(days=7), dt.time(0), tzinfo=zone)
    week = week_of_lessons(
        teacher_lessons_ahead(request.user, now=now, until=week_end), zone=zone, first_day=today
    )
    earnings = teacher_earnings(request.user, now=now, zone=zone)
    response = render(
        request,
        "dashboards/teacher_home.html",
        {
            "profile": profile,
            "checklist": checklist,
            "lessons": lessons,
            "queries": _queries_without(request, lessons),
            "week": week,
            "earnings": earnings,
        },
    )
    # The week and this month's earnings move at midnight in the viewer's zone.
    next_midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    changes_at = teacher_lessons_change_at(
        request.user, now=now, answer_by=[booking.answer_by for booking in lessons.requests]
    )
    response.changes_at = min(changes_at or next_midnight, next_midnight)
    return response


def _queries_without(request: HttpRequest, lists) -> dict[str, str]:
    """For each list's pagination links: the query string without that list's page number, so
    paging one list keeps the others where they are."""
    queries = {}
    for name in vars(lists):
        query = request.GET.copy()
        query.pop(name, None)
        queries[name] = query.urlencode()
    return queries


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        account_services.account_settings_update(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            timezone_name=form.cleaned_data["timezone"],
        )
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    feed = calendar_feed_for(request.user)
    feed_url = (
        request.build_absolute_uri(reverse("bookings:calendar_feed", args=[feed.token]))
        if feed
        else None
    )
    return render(
        request,
        "dashboards/settings.html",
        {
            "form": form,
            "feed_url": feed_url,
            "newsletter": subscription_for_user(request.user),
            "newsletter_wording": newsletter_wording.SUBSCRIBE,
        },
    )


@login_required
@require_POST
def calendar_link_create(request: HttpRequest) -> HttpResponse:
    """The button "Create my calendar link": the token is made on this POST, never by a GET."""
    calendar_feed_of(request.user)
    messages.success(request, "Your calendar link is ready. Add it to your calendar app.")
    return redirect("accounts:settings")
