from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from petittalk.accounts.access import student_required, teacher_required
from petittalk.accounts.models import Role, StudentProfile
from petittalk.bookings import selectors, services
from petittalk.bookings.forms import (
    BookingRequestForm,
    DeclineForm,
    RescheduleChoiceForm,
    RescheduleForm,
    SlotChoiceForm,
)
from petittalk.bookings.models import Booking, no_refund_if_cancelled
from petittalk.bookings.picker import slot_week_context
from petittalk.core import pagecache
from petittalk.core.timefmt import within_date_range
from petittalk.teachers import selectors as teacher_selectors

# --- the slot picker ---------------------------------------------------------------------------


# What a teacher's page and its week view read from the query (anything else: not cached).
PICKER_QUERY = ("week", "duration")


@require_GET
def slot_picker(request: HttpRequest, slug: str) -> HttpResponse:
    """The week view on a teacher's page; htmx swaps it in place for another week or duration."""
    if not request.htmx:
        teacher = teacher_selectors.public_teacher(slug)
        return redirect(
            f"{teacher.get_absolute_url()}?{urlencode(request.GET.dict())}#availability"
        )

    def render_picker() -> HttpResponse:
        teacher = teacher_selectors.public_teacher(slug)
        context = slot_week_context(
            request, teacher, slot_url=reverse("bookings:book", args=[teacher.slug])
        )
        context["picker_url"] = reverse("bookings:slot_picker", args=[teacher.slug])
        response = render(request, "bookings/_slot_picker.html", context)
        response.changes_at = context["changes_at"]
        return response

    return pagecache.cached_public_page(
        request,
        name="slot-picker",
        content_versions=lambda: teacher_selectors.public_teacher_page_versions(slug),
        render=render_picker,
        query_names=PICKER_QUERY,
    )


# --- booking ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, slug: str) -> HttpResponse:
    """Pick level and purpose for a chosen slot, then hold it for 15 minutes."""
    teacher = teacher_selectors.public_teacher(slug)
    if not request.user.is_authenticated:
        # Back to this very slot after logging in or signing up.
        return redirect_to_login(request.get_full_path())
    if request.user.role != Role.STUDENT:
        messages.info(request, "Lessons are booked from a student account.")
        return redirect(teacher.get_absolute_url())
    if request.method == "POST":
        form = BookingRequestForm(request.POST)
        slot = form.data.get("start"), form.data.get("duration")
    else:
        choice = SlotChoiceForm(request.GET)
        if not choice.is_valid():
            messages.error(request, "Choose a time from the calendar.")
            return redirect(f"{teacher.get_absolute_url()}#availability")
        profile = StudentProfile.objects.filter(user=request.user).first()
        form = BookingRequestForm(
            initial={
                **choice.cleaned_data,
                "start": choice.cleaned_data["start"].isoformat(),
                "level": profile.level if profile else "",
            }
        )
        slot = choice.cleaned_data["start"], choice.cleaned_data["duration"]
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.booking_hold(
                student=request.user,
                teacher=teacher,
                starts_at=data["start"],
                duration_minutes=data["duration"],
                level=data["level"],
                purpose=data["purpose"],
                message=data["message"],
            )
        except services.SlotTaken as exc:
            form.add_error(None, str(exc))
            status = 409
        except services.BookingError as exc:
            form.add_error(None, str(exc))
            status = 400 if request.htmx else 200
        else:
            messages.success(
                request,
                f"Your lesson with {teacher.name} is reserved for 15 minutes: "
                "pay to send your request.",
            )
            return redirect("basket:detail")
    start, duration = _slot_from(form, slot)
    price = teacher.price_for(duration) if duration in teacher.durations else None
    no_refund = start is not None and no_refund_if_cancelled(start, now=timezone.now())
    return render(
        request,
        "bookings/book.html",
        {
            "teacher": teacher,
            "form": form,
            "start": start,
            "duration": duration,
            "price": price,
            "no_refund": no_refund,
        },
        status=status,
    )


def _slot_from(form: BookingRequestForm, slot) -> tuple[dt.datetime | None, int | None]:
    start, duration = slot
    if isinstance(start, str):
        try:
            start = dt.datetime.fromisoformat(start.replace("Z", "+00:00"))
            # Only a time the form would accept is shown back (the year 1 cannot be converted).
            start = start if start.tzinfo and within_date_range(start) else None
        except ValueError:
            start = None
    try:
        duration = int(duration)
    except (TypeError, ValueError):
        duration = None
    return start, duration


# --- answering, cancelling, moving ----------------------------------------------------------------


@teacher_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for(request.user, pk)
    try:
        services.booking_accept(booking=booking, by=request.user)
    except services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Lesson with {booking.student.name} confirmed.")
    return redirect("teachers:dashboard")


@teacher_required
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for(request.user, pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_decline(
                booking=booking, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Request declined. The student is refunded in full.")
        return redirect("teachers:dashboard")
    return render(request, "bookings/decline.html", {"booking": booking, "form": form})


@student_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.booking_for(request.user, pk)
    try:
        services.booking_release_hold(booking=booking, by=request.user)
    except services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The reserved time is released.")
    return redirect("accounts:student_home")


@student_required
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick a new time (GET, the calendar), see old → new (GET ?start=), confirm it (POST)."""
    booking = selectors.booking_for(request.user, pk)
    if not services.booking_can_reschedule(booking, by=request.user):
        messages.error(request, "A lesson can be moved only up to 24 hours before it starts.")
        return redirect("accounts:student_home")
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            try:
                services.booking_reschedule(
                    booking=booking,
                    by=request.user,
                    new_starts_at=form.cleaned_data["start"],
                    expected_starts_at=form.cleaned_data["current"],
                )
            except services.BookingError as exc:
                messages.error(request, str(exc))
                stale = isinstance(exc, services.SlotTaken | services.BookingChanged)
                return _reschedule_picker(request, booking, status=409 if stale else 400)
            messages.success(request, "Your lesson has moved. Your teacher has been told.")
            return redirect("accounts:student_home")
        # Nothing moves without the confirmation (e.g. an old page's one-click time button).
        choice = RescheduleChoiceForm(request.POST)
        if choice.is_valid():
            return _reschedule_confirmation(request, booking, choice, status=400)
        messages.error(request, "Choose a new time from the calendar.")
        return _reschedule_picker(request, booking, status=400)
    if "start" in request.GET:
        choice = RescheduleChoiceForm(request.GET)
        if choice.is_valid() and choice.cleaned_data["start"] != booking.starts_at:
            return _reschedule_confirmation(request, booking, choice)
        messages.error(request, "Choose a new time from the calendar.")
        return _reschedule_picker(request, booking, status=400)
    return _reschedule_picker(request, booking)


def _reschedule_confirmation(
    request: HttpRequest, booking: Booking, choice: RescheduleChoiceForm, *, status: int = 200
) -> HttpResponse:
    new_start = choice.cleaned_data["start"]
    context = {
        "booking": booking,
        "teacher": booking.teacher,
        "new_start": new_start,
        "new_end": new_start + dt.timedelta(minutes=booking.duration_minutes),
    }
    return render(request, "bookings/reschedule_confirm.html", context, status=status)


def _reschedule_picker(
    request: HttpRequest, booking: Booking, *, status: int = 200
) -> HttpResponse:
    picker_url = reverse("bookings:reschedule", args=[booking.pk])
    context = slot_week_context(request, booking.teacher, slot_url=picker_url, moving=booking)
    context.update(booking=booking, picker_url=picker_url)
    if request.htmx and request.method == "GET":
        return render(request, "bookings/_slot_picker.html", context, status=status)
    return render(request, "bookings/reschedule.html", context, status=status)
