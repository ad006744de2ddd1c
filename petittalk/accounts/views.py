from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_http_methods

from petittalk.accounts import selectors, services
from petittalk.accounts.access import student_required
from petittalk.accounts.forms import InviteSetPasswordForm, StudentProfileForm
from petittalk.accounts.models import Role, User


@student_required
@require_http_methods(["GET", "POST"])
def student_profile_edit(request: HttpRequest) -> HttpResponse:
    profile = selectors.student_profile_of(request.user)
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
