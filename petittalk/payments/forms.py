from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from petittalk.payments.gateways.dummy import luhn_valid


class BillingForm(forms.Form):
    name = forms.CharField(
        label="Name on the receipt",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email for the receipt", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    country = LazyTypedChoiceField(
        label="Country", choices=[("", "Choose your country"), *countries]
    )


ASCII_DIGITS_AND_SPACES = re.compile(r"[0-9 ]+")


class DummyCardForm(forms.Form):
    """The dummy processor's own card form (never used in Stripe mode)."""

    number = forms.CharField(
        label="Card number",
        max_length=23,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "cc-number",
                "inputmode": "numeric",
                "placeholder": "4242 4242 4242 4242",
            }
        ),
    )
    expiry = forms.CharField(
        label="Expiry (MM/YY)",
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "placeholder": "12/30"}),
    )
    cvc = forms.CharField(
        label="CVC",
        max_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def clean_number(self) -> str:
        # ASCII digits and spaces only: str.isdigit() also accepts "٤" and "²", which a card
        # processor would never see as the digits the student meant.
        typed = self.cleaned_data["number"]
        if not ASCII_DIGITS_AND_SPACES.fullmatch(typed):
            raise forms.ValidationError("Type the card number with the digits 0–9 only.")
        number = typed.replace(" ", "")
        if not 12 <= len(number) <= 19 or not luhn_valid(number):
            raise forms.ValidationError("This card number is not valid.")
        return number

    def clean_expiry(self) -> str:
        match = re.fullmatch(
            r" *([0-9]{1,2}) */ *([0-9]{2}|[0-9]{4}) *", self.cleaned_data["expiry"]
        )
        if not match:
            raise forms.ValidationError("Write the expiry as MM/YY.")
        month, year = int(match[1]), int(match[2])
        year = year + 2000 if year < 100 else year
        if not 1 <= month <= 12:
            raise forms.ValidationError("The month must be between 01 and 12.")
        today = timezone.localdate()  # the site's date; a card expires at the end of its month
        if (year, month) < (today.year, today.month):
            raise forms.ValidationError("This card has expired.")
        return f"{month:02d}/{year % 100:02d}"

    def clean_cvc(self) -> str:
        cvc = self.cleaned_data["cvc"].strip(" ")
        if not re.fullmatch(r"[0-9]{3,4}", cvc):
            raise forms.ValidationError("The CVC is the 3 or 4 digits on the back of the card.")
        return cvc
