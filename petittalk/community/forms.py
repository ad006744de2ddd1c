from __future__ import annotations

from django import forms

from petittalk.community.models import REASON_MAX_LENGTH, TESTIMONIAL_MAX_LENGTH
from petittalk.community.services import (
    EMAIL_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
)


class TestimonialForm(forms.Form):
    # Lengths are checked by the service (one place, one wording); the form only parses.
    text = forms.CharField(
        label="Your testimonial",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TESTIMONIAL_MAX_LENGTH}),
        help_text=f"Plain text, 20 to {TESTIMONIAL_MAX_LENGTH} characters. "
        "It shows on the home page with your name once our team approves it.",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason (the author sees it)",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": REASON_MAX_LENGTH}),
    )


class ContactForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": NAME_MAX_LENGTH}),
    )
    email = forms.CharField(
        label="Your email",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "maxlength": EMAIL_MAX_LENGTH}),
    )
    subject = forms.CharField(
        label="Subject",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX_LENGTH}),
    )
    message = forms.CharField(
        label="Message",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MESSAGE_MAX_LENGTH}),
    )
    # A honeypot: hidden from people (and from screen readers), filled in by form-filling bots.
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
