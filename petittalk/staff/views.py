"""The staff area: reads through selectors, writes through services, owns no models."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from petittalk.accounts import selectors as account_selectors
from petittalk.accounts import services as account_services
from petittalk.accounts.access import staff_required
from petittalk.audit.selectors import audit_history
from petittalk.audit.services import object_ref
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.selectors import bookings_newest_first
from petittalk.core.money import format_money
from petittalk.orders import services as order_services
from petittalk.orders.models import RefundStatus
from petittalk.orders.selectors import order_with_details, orders_newest_first
from petittalk.payments import selectors as payment_selectors
from petittalk.payments import services as payment_services
from petittalk.staff.forms import RefundLineForm
from petittalk.teachers import selectors as teacher_selectors
from petittalk.teachers import services as teacher_services
from petittalk.teachers.forms import StaffTeacherProfileForm, TeacherInviteForm

# The lessons the list offers to cancel; the cancel page itself asks
# bookings.services.booking_cancellation_terms, which allows these two and no other.
CANCELLABLE_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)


@staff_required
def teacher_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(teacher_selectors.all_teacher_profiles(), 25).get_page(request.GET.get("page"))
    return render(request, "staff/teacher_list.html", {"page": page})


@staff_required
@require_http_methods(["GET", "POST"])
def teacher_invite(request: HttpRequest) -> HttpResponse:
    form = TeacherInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            teacher = teacher_services.teacher_invite(
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                base_url=request.build_absolute_uri("/"),
                actor=request.user,
            )
        except account_services.AccountError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, f"Invitation sent to {teacher.email}.")
            return redirect("staff:teacher_list")
    return render(request, "staff/teacher_invite.html", {"form": form})


@staff_required
@require_POST
def teacher_invite_resend(request: HttpRequest, pk: int) -> HttpResponse:
    teacher = account_selectors.teacher_account(pk)
    try:
        account_services.teacher_invite_resend(
            teacher=teacher, base_url=request.build_absolute_uri("/")
        )
    except account_services.AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Invitation sent again to {teacher.email}.")
    return redirect("staff:teacher_list")


@staff_required
@require_http_methods(["GET", "POST"])
def teacher_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = teacher_selectors.teacher_profile_for_staff(pk)
    form = StaffTeacherProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            teacher_services.teacher_profile_update(
                profile=profile, **form.changes(), actor=request.user
            )
        except teacher_services.TeacherProfileError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{profile.user.name}'s profile is saved.")
            return redirect("staff:teacher_list")
    return render(request, "staff/teacher_edit.html", {"form": form, "profile": profile})


@staff_required
def booking_list(request: HttpRequest) -> HttpResponse:
    """Every lesson, newest first, filterable by status; staff may cancel from here."""
    status = request.GET.get("status", "")
    if status not in BookingStatus.values:
        status = ""  # an unknown filter shows every booking rather than an error
    bookings = bookings_newest_first(request.user, status=BookingStatus(status) if status else None)
    page = Paginator(bookings, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/booking_list.html",
        {
            "page": page,
            "status": status,
            "status_query": urlencode({"status": status}) if status else "",
            "statuses": BookingStatus.choices,
            "cancellable_statuses": CANCELLABLE_STATUSES,
        },
    )


@staff_required
def order_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(orders_newest_first(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "staff/order_list.html", {"page": page})


@staff_required
@require_http_methods(["GET", "POST"])
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    """An order with its payment and refund history; staff can refund a line by hand."""
    order = order_with_details(request.user, number)
    form = RefundLineForm(
        request.POST or None, order=order, viewer_timezone=request.viewer_timezone
    )
    if request.method == "POST" and form.is_valid():
        line = form.cleaned_data["line"]
        try:
            refund = payment_services.refund_line(
                line=line,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"] or "refunded by staff",
                idempotency_key=form.cleaned_data["idempotency_key"],
                created_by=request.user,
            )
        except order_services.RefundError as exc:
            form.add_error("amount", str(exc))
        else:
            if refund.status == RefundStatus.SUCCEEDED:
                messages.success(request, f"Refunded {format_money(refund.amount)}.")
            else:
                messages.error(request, "The gateway refused the refund; try again later.")
            return redirect("staff:order_detail", number=order.number)
    events = payment_selectors.events_for(order)
    # The order's own entries and its lessons' (a cancellation is what brings a refund).
    history = audit_history(
        [object_ref(order), *(object_ref(line.booking) for line in order.lines.all())]
    )
    return render(
        request,
        "staff/order_detail.html",
        {"order": order, "form": form, "events": events, "history": history},
    )
