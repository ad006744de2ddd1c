"""Staff moderation of reviews: thin views over the reviews app's selectors, forms and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from petittalk.accounts.access import staff_required
from petittalk.reviews import selectors, services
from petittalk.reviews.forms import HideForm
from petittalk.reviews.selectors import Visibility

REVIEWS_PER_PAGE = 30


@staff_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    visibility = request.GET.get("visibility", Visibility.ALL)
    if visibility not in dict(Visibility.CHOICES):
        visibility = Visibility.ALL
    page = Paginator(selectors.staff_reviews(visibility=visibility), REVIEWS_PER_PAGE)
    page = page.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return render(
        request,
        "staff/review_list.html",
        {
            "page": page,
            "visibility": visibility,
            "choices": Visibility.CHOICES,
            "query": f"visibility={visibility}",
            "form": HideForm(),
        },
    )


@staff_required
@require_POST
def review_hide(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.staff_review(pk)
    form = HideForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, f"The review was not hidden: {' '.join(errors)}")
        return redirect("staff:review_list")
    try:
        services.review_hide(review=review, by=request.user, reason=form.cleaned_data["reason"])
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The review is hidden from the teacher's page.")
    return redirect("staff:review_list")


@staff_required
@require_POST
def review_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.staff_review(pk)
    try:
        services.review_unhide(review=review, by=request.user)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The review is shown on the teacher's page again.")
    return redirect("staff:review_list")
