from __future__ import annotations

import datetime as dt

from django import forms

from petittalk.accounts.models import Level
from petittalk.bookings.models import Purpose
from petittalk.core.timefmt import TIME_OUT_OF_RANGE, within_date_range


class SlotField(forms.DateTimeField):
    """A slot's start as sent by the picker: an ISO 8601 UTC instant."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        try:
            parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as exc:
            raise forms.ValidationError("That time is not valid.") from exc
        if parsed.tzinfo is None:
            raise forms.ValidationError("That time is not valid.")
        # Checked before converting: 0001-01-01T00:00+01:00 has no UTC equivalent.
        if not within_date_range(parsed):
            raise forms.ValidationError(TIME_OUT_OF_RANGE)
        return parsed.astimezone(dt.UTC)


class SlotChoiceForm(forms.Form):
    """The query string of a booking link: which start, how long."""

    start = SlotField()
    duration = forms.TypedChoiceField(choices=[(30, "30"), (60, "60")], coerce=int)


class BookingRequestForm(forms.Form):
    start = SlotField(widget=forms.HiddenInput)
    duration = forms.TypedChoiceField(
        choices=[(30, "30"), (60, "60")], coerce=int, widget=forms.HiddenInput
    )
    level = forms.ChoiceField(label="Your French level", choices=[("", "Choose…"), *Level.choices])
    purpose = forms.ChoiceField(
        label="What is the lesson for?", choices=[("", "Choose…"), *Purpose.choices]
    )
    message = forms.CharField(
        label="A message for your teacher (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What would you like to work on? Anything they should know?",
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional, shown to the student)", required=False, max_length=300
    )


class RescheduleChoiceForm(forms.Form):
    """The new time picked in the calendar, shown for confirmation."""

    start = SlotField(widget=forms.HiddenInput)


class RescheduleForm(RescheduleChoiceForm):
    """The confirmation: the new time and the current one the student saw beside it."""

    current = SlotField(widget=forms.HiddenInput)
