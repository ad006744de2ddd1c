from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from petittalk.accounts.access import student_required
from petittalk.reviews import selectors, services
from petittalk.reviews.forms import ReviewForm

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
