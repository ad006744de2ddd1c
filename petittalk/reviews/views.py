from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from petittalk.accounts.access import student_required, teacher_required
from petittalk.bookings.views import PICKER_QUERY, slot_week_context
from petittalk.core import pagecache
from petittalk.reviews import selectors, services
from petittalk.reviews.forms import ReplyForm, ReviewForm
from petittalk.teachers import selectors as teacher_selectors

RATE_LIMIT_ACTION = "review_write"


@student_required
@require_http_methods(["GET", "POST"])
def review_lesson(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Write, or within 14 days change, the review of one of the student's lessons."""
    booking = selectors.student_lesson(request.user, booking_id)
    review = selectors.review_of_lesson(booking)
    initial = {"rating": review.rating, "text": review.text} if review else None
    form = ReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"booking": booking, "review": review, "form": form, "now": timezone.now()}
    if request.method == "POST" and form.is_valid():
        # Counted in the shared cache per person, like the project's other public writes.
        if not ratelimit.consume(request, action=RATE_LIMIT_ACTION, key=str(request.user.pk)):
            context["limited"] = True
            return render(request, "reviews/review_form.html", context, status=429)
        data = form.cleaned_data
        try:
            if review:
                services.review_edit(
                    review=review, student=request.user, rating=data["rating"], text=data["text"]
                )
            else:
                services.review_create(
                    student=request.user, booking=booking, rating=data["rating"], text=data["text"]
                )
        except services.ReviewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Thank you for your review.")
            return redirect("accounts:student_home")
    return render(request, "reviews/review_form.html", context)


def teacher_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A teacher's public page: the profile (teachers), free times (bookings) and reviews (here).

    It lives here because it shows reviews, and only this layer sees both bookings and reviews;
    its URL name stays `teachers:detail` (config/urls.py).
    """

    def render_page() -> HttpResponse:
        teacher = teacher_selectors.public_teacher(slug)
        context = slot_week_context(
            request, teacher, slot_url=reverse("bookings:book", args=[teacher.slug])
        )
        context["picker_url"] = reverse("bookings:slot_picker", args=[teacher.slug])
        context["rating_stars"] = selectors.rating_distribution(teacher)
        context["reviews"] = selectors.teacher_reviews_page(
            teacher, viewer=request.user, page=request.GET.get("reviews")
        )
        query = request.GET.copy()
        query.pop("reviews", None)
        context["reviews_query"] = query.urlencode()
        response = render(request, "teachers/detail.html", context)
        response.changes_at = context["changes_at"]
        return response

    # Visitors share one cached copy; the reviews they see (never the hidden ones) are part of
    # the TEACHERS version the review services bump.
    return pagecache.cached_public_page(
        request,
        name="teacher",
        content_versions=lambda: teacher_selectors.public_teacher_page_versions(slug),
        render=render_page,
        query_names=[*PICKER_QUERY, "reviews"],
    )


TEACHER_REVIEWS_PER_PAGE = 20


@teacher_required
def teacher_reviews(request: HttpRequest) -> HttpResponse:
    """The reviews of the teacher's lessons, hidden ones too, each with a reply form."""
    page = Paginator(selectors.reviews_for_teacher(request.user), TEACHER_REVIEWS_PER_PAGE)
    page = page.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return render(request, "reviews/teacher_reviews.html", {"page": page, "form": ReplyForm()})


@teacher_required
@require_POST
def review_reply(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.teacher_review(request.user, review_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, f"Your reply was not sent: {' '.join(errors)}")
        return redirect("reviews:teacher_reviews")
    try:
        services.review_reply(review=review, teacher=request.user, text=form.cleaned_data["text"])
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your reply is published under the review.")
    return redirect("reviews:teacher_reviews")
