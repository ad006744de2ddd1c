"""The staff area: reads through selectors, writes through services, owns no models."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from petittalk.accounts import services as account_services
from petittalk.accounts.access import staff_required
from petittalk.accounts.models import Role, User
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.selectors import bookings_visible_to
from petittalk.teachers import selectors as teacher_selectors
from petittalk.teachers import services as teacher_services
from petittalk.teachers.forms import StaffTeacherProfileForm, TeacherInviteForm


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    teachers = teacher_selectors.all_teacher_profiles()
    stats = {
        "teachers": teachers.count(),
        "published": teachers.filter(is_published=True).count(),
        "students": User.objects.filter(role=Role.STUDENT).count(),
    }
    return render(request, "staff/home.html", {"stats": stats})


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
            teacher = account_services.teacher_invite(
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                base_url=request.build_absolute_uri("/"),
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
    teacher = get_object_or_404(User, pk=pk, role=Role.TEACHER)
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
    profile = get_object_or_404(teacher_selectors.all_teacher_profiles(), pk=pk)
    form = StaffTeacherProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        teacher_services.teacher_profile_update(profile=profile, **form.changes())
        messages.success(request, f"{profile.user.name}'s profile is saved.")
        return redirect("staff:teacher_list")
    return render(request, "staff/teacher_edit.html", {"form": form, "profile": profile})


@staff_required
def booking_list(request: HttpRequest) -> HttpResponse:
    """Every lesson, newest first, filterable by status; staff may cancel from here."""
    status = request.GET.get("status", "")
    bookings = bookings_visible_to(request.user).order_by("-starts_at")
    if status in BookingStatus.values:
        bookings = bookings.filter(status=status)
    else:
        status = ""
    page = Paginator(bookings, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/booking_list.html",
        {
            "page": page,
            "status": status,
            "status_query": urlencode({"status": status}) if status else "",
            "statuses": BookingStatus.choices,
        },
    )
