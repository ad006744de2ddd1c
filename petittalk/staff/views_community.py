"""Staff pages for the community: the testimonial moderation queue and contact messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from petittalk.accounts.access import staff_required
from petittalk.community import selectors, services
from petittalk.community.forms import RejectForm
from petittalk.community.models import TestimonialStatus

PER_PAGE = 30


def _testimonial_page(request: HttpRequest, *, status: str, reject_errors=None, code=200):
    if status not in TestimonialStatus.values:
        status = TestimonialStatus.PENDING
    page = Paginator(selectors.testimonials_for_staff(status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "staff/testimonial_list.html",
        {
            "page": page,
            "status": status,
            "statuses": TestimonialStatus,
            "counts": selectors.testimonial_counts(),
            "reject_form": RejectForm(),
            "reject_errors": reject_errors or {},
        },
        status=code,
    )


@staff_required
@require_GET
def testimonial_list(request: HttpRequest) -> HttpResponse:
    return _testimonial_page(request, status=request.GET.get("status", ""))


@staff_required
@require_POST
def testimonial_approve(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.testimonial_approve(
            testimonial=selectors.testimonial_for_staff(pk), actor=request.user
        )
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Approved: it shows on the home page now.")
    return redirect("staff:testimonial_list")


@staff_required
@require_POST
def testimonial_reject(request: HttpRequest, pk: int) -> HttpResponse:
    testimonial = selectors.testimonial_for_staff(pk)
    form = RejectForm(request.POST)
    form.is_valid()  # every field optional: the service says what is missing
    try:
        services.testimonial_reject(
            testimonial=testimonial,
            reason=form.cleaned_data.get("reason", ""),
            actor=request.user,
        )
    except services.CommunityError as exc:
        return _testimonial_page(
            request, status=TestimonialStatus.PENDING, reject_errors={pk: str(exc)}, code=400
        )
    messages.success(request, "Rejected: the author sees your reason.")
    return redirect("staff:testimonial_list")


@staff_required
@require_POST
def testimonial_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.testimonial_delete(testimonial=selectors.testimonial_for_staff(pk), actor=request.user)
    messages.success(request, "Deleted.")
    return redirect("staff:testimonial_list")


@staff_required
@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    handled = request.GET.get("handled") == "1"
    page = Paginator(selectors.contact_messages_for_staff(handled=handled), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "staff/contact_list.html",
        {"page": page, "handled": handled, "counts": selectors.contact_message_counts()},
    )


@staff_required
@require_GET
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request,
        "staff/contact_detail.html",
        {"contact": selectors.contact_message_for_staff(pk)},
    )


@staff_required
@require_POST
def contact_mark_handled(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.contact_message_mark_handled(
            contact=selectors.contact_message_for_staff(pk), actor=request.user
        )
    except services.CommunityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Marked handled.")
    return redirect("staff:contact_list")
