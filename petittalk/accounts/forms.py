from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from petittalk.accounts.models import StudentProfile, User, validate_timezone
from petittalk.accounts.timezones import timezone_choices
from petittalk.core.forms import CheckedPhotoMixin
from petittalk.core.widgets import PhotoInput


class TimezoneField(forms.ChoiceField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Your time zone")
        kwargs.setdefault(
            "help_text", "Lesson times are shown in this zone. We detected it from your browser."
        )
        super().__init__(choices=timezone_choices, **kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        validate_timezone(value)


class SignupDetailsForm(forms.Form):
    """Extra sign-up fields (allauth calls `signup()` after creating the user)."""

    display_name = forms.CharField(
        label="Your name", max_length=80, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    timezone = TimezoneField(
        initial="UTC", widget=forms.Select(attrs={"data-detect-timezone": "true"})
    )

    def signup(self, request, user: User) -> None:
        # The adapter already stored name, role and zone; nothing further to save here.
        pass


class AccountSettingsForm(forms.ModelForm):
    timezone = TimezoneField()

    class Meta:
        model = User
        fields = ["display_name", "timezone"]
        labels = {"display_name": "Your name"}


class StudentProfileForm(CheckedPhotoMixin, forms.ModelForm):
    class Meta:
        model = StudentProfile
        fields = ["level", "learning_goals", "photo"]
        widgets = {
            "learning_goals": forms.Textarea(attrs={"rows": 4}),
            "photo": PhotoInput,
        }
        help_texts = {
            "learning_goals": "What do you want to be able to do in French? Teachers read this.",
            "photo": "JPEG, PNG or WebP, up to 5 MB.",
        }


class InviteSetPasswordForm(SetPasswordForm):
    """The one-time invitation form a new teacher fills in to choose a password."""
