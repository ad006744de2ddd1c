from __future__ import annotations

from django import forms

from petittalk.newsletter.models import SubscriberStatus
from petittalk.newsletter.services import BODY_MAX_LENGTH, EMAIL_MAX_LENGTH, SUBJECT_MAX_LENGTH


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Your email",
        max_length=EMAIL_MAX_LENGTH,
        error_messages={"required": "Enter your email address."},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}),
    )
    source = forms.CharField(required=False, widget=forms.HiddenInput)


class CampaignForm(forms.Form):
    subject = forms.CharField(
        max_length=SUBJECT_MAX_LENGTH, error_messages={"required": "Write a subject."}
    )
    body_text = forms.CharField(
        label="Text",
        max_length=BODY_MAX_LENGTH,
        error_messages={"required": "Write the text of the email."},
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Every subscriber gets this plain text, followed by the unsubscribe link.",
    )
    body_html = forms.CharField(
        label="HTML (optional)",
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Mail apps that show HTML show this instead of the text.",
    )


class SubscriberFilterForm(forms.Form):
    q = forms.CharField(label="Email contains", required=False, max_length=EMAIL_MAX_LENGTH)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *SubscriberStatus.choices]
    )
