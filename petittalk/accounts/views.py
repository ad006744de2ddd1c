from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_http_methods

from petittalk.accounts import services
from petittalk.accounts.access import student_required
from petittalk.accounts.forms import (
    AccountSettingsForm,
    InviteSetPasswordForm,
    StudentProfileForm,
)
from petittalk.accounts.models import Role, StudentProfile, User
from petittalk.bookings.calendar import calendar_feed_of
from petittalk.bookings.selectors import student_lessons
from petittalk.bookings.services import booking_can_reschedule, booking_cancellation_terms
from petittalk.orders.selectors import refundable_amounts

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
    profile, _ = StudentProfile.objects.get_or_create(user=request.user)
    now = timezone.now()
    lessons = student_lessons(request.user, now=now)
    paid = refundable_amounts(lessons.upcoming + lessons.awaiting)
    for booking in lessons.upcoming + lessons.awaiting:
        # Said on the buttons, so the student knows the refund before clicking.
        booking.cancel_terms = booking_cancellation_terms(booking, by=request.user, now=now)
        booking.refund_amount = paid[booking.pk] if booking.cancel_terms.refunded else None
        booking.can_move = booking_can_reschedule(booking, by=request.user, now=now)
    return render(request, "accounts/student_home.html", {"profile": profile, "lessons": lessons})


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_settings_update(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            timezone_name=form.cleaned_data["timezone"],
        )
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    feed = calendar_feed_of(request.user)
    feed_url = request.build_absolute_uri(reverse("bookings:calendar_feed", args=[feed.token]))
    return render(request, "accounts/settings.html", {"form": form, "feed_url": feed_url})


@student_required
@require_http_methods(["GET", "POST"])
def student_profile_edit(request: HttpRequest) -> HttpResponse:
    profile, _ = StudentProfile.objects.get_or_create(user=request.user)
    form = StudentProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.student_profile_update(
            profile=profile,
            level=form.cleaned_data["level"],
            learning_goals=form.cleaned_data["learning_goals"],
            photo=form.clean_photo_result,
            clear_photo=form.cleaned_data.get("photo") is False,
        )
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:student_home")
    return render(request, "accounts/student_profile_form.html", {"form": form, "profile": profile})


def _invited_user(uidb64: str, token: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        user = User.objects.get(pk=pk, role=Role.TEACHER)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    if user.has_usable_password() or not services.teacher_invite_tokens.check_token(user, token):
        return None
    return user


@require_http_methods(["GET", "POST"])
def invite_accept(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link in a teacher's invitation: choose a password once, then land on the dashboard."""
    user = _invited_user(uidb64, token)
    if user is None:
        return render(request, "accounts/invite_invalid.html", status=404)
    form = InviteSetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.teacher_invite_accept(
                user=user, password=form.cleaned_data["new_password1"]
            )
        except services.AccountError:
            return render(request, "accounts/invite_invalid.html", status=404)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Petit Talk! Start by completing your profile.")
        return redirect("teachers:profile_edit")
    return render(request, "accounts/invite_accept.html", {"form": form, "invitee": user})
