from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django import forms

from petittalk.core.timefmt import DATE_OUT_OF_RANGE, within_date_range
from petittalk.offers.models import Offer
from petittalk.offers.pricing import normalise_code
from petittalk.offers.services import (
    OFFER_SETTINGS,
    OfferError,
    OfferSettings,
    validate_offer_settings,
)
from petittalk.teachers.models import TeacherProfile

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is read in the staff member's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time between 2000 and 2100, read in the staff member's time zone."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and not within_date_range(moment):
            raise forms.ValidationError(DATE_OUT_OF_RANGE)
        return moment

    def prepare_value(self, value):
        try:
            return super().prepare_value(value)
        except OverflowError:
            # Stored before dates were bounded (9999-12-31 23:30 UTC is the year 10000 in
            # Paris): show it as stored, in UTC, so the page opens and the form can fix it.
            return value.astimezone(dt.UTC).replace(tzinfo=None)


class OfferForm(forms.ModelForm):
    """What staff fill in to create or change an offer. It reads the values; the offer rules
    (`services.validate_offer_settings`) decide what makes sense and the errors show here."""

    value = forms.DecimalField(
        label="Value",
        max_digits=7,
        decimal_places=2,
        required=False,
        help_text="Percent: 1–100. Fixed: € off the order. First lesson: its price in € (0: free).",
    )

    class Meta:
        model = Offer
        # The services take exactly these settings, plus the teachers the offer is limited to.
        fields = [*OFFER_SETTINGS, "teachers"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "valid_from": LocalDateTimeInput,
            "valid_until": LocalDateTimeInput,
            "teachers": forms.CheckboxSelectMultiple,
        }
        field_classes = {"valid_from": BoundedDateTimeField, "valid_until": BoundedDateTimeField}
        labels = {"valid_from": "Starts", "valid_until": "Ends"}
        help_texts = {
            "valid_from": "In your time zone. Blank: from now on.",
            "valid_until": "In your time zone. Blank: no end.",
            "max_uses": "Paid orders that may use it, all students together. Blank: no limit.",
            "max_uses_per_student": "Blank: no limit.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        teachers = self.fields["teachers"]
        teachers.queryset = TeacherProfile.objects.select_related("user").order_by(
            "user__display_name", "pk"
        )
        teachers.label_from_instance = lambda teacher: teacher.user.name
        for name in ("valid_from", "valid_until"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
        self.fields["value"].widget.attrs.update(inputmode="decimal", step="0.01")
        self.fields["code"].widget.attrs.update(
            autocapitalize="characters", spellcheck="false", autocomplete="off"
        )

    def clean_code(self) -> str:
        # Read in capitals, as stored, so the model's constraints check what would be saved.
        return normalise_code(self.cleaned_data.get("code", ""))

    def clean(self):
        data = super().clean()
        # A setting the form could not read is left to its default, and the rules' word on it
        # is dropped: its own error already shows. So are the value's, which hang on the kind.
        unread = set(self._errors)
        if "kind" in unread:
            unread |= {"value", "buy_quantity", "free_quantity"}
        read = {name: data[name] for name in OFFER_SETTINGS if name in data}
        try:
            settings = validate_offer_settings(
                OfferSettings(**{"name": "", **read}), offer=self.instance
            )
        except OfferError as exc:
            for field, message in exc.problems.items():
                if field not in unread:
                    self.add_error(field, message)
        else:
            # Tidied by the rules (code in capitals, what the kind ignores cleared), so the
            # instance the form checks against the model's constraints matches what is saved.
            data.update(asdict(settings))
        return data

    def changes(self) -> dict:
        """Keyword arguments for `offer_create` / `offer_update`."""
        data = self.cleaned_data
        return {
            "settings": OfferSettings(**{name: data[name] for name in OFFER_SETTINGS}),
            "teachers": list(data["teachers"]),
        }
