from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms

from petittalk.core.timefmt import DATE_OUT_OF_RANGE, within_date_range
from petittalk.offers.models import Offer, OfferKind
from petittalk.offers.pricing import normalise_code
from petittalk.offers.services import OFFER_SETTINGS, OfferSettings
from petittalk.teachers.models import TeacherProfile

CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
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
    """What staff fill in to create or change an offer. Refuses offers that make no sense."""

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
        code = self.cleaned_data.get("code", "").strip()
        if not code:
            return ""
        if not CODE_PATTERN.fullmatch(code):
            raise forms.ValidationError(
                "Use only letters, digits, “-” and “_” in a code (no spaces)."
            )
        code = normalise_code(code)
        taken = Offer.objects.filter(code__iexact=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("Another offer already uses this code.")
        return code

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == OfferKind.BUY_N_GET_M:
            self._clean_buy_n_get_m(data)
        elif kind:
            self._clean_value(kind, data.get("value"))
            # Quantities mean nothing for this kind; clearing them keeps no stale numbers around.
            data["buy_quantity"] = data["free_quantity"] = None

        if data.get("min_lessons") is not None and data["min_lessons"] < 1:
            self.add_error("min_lessons", "An offer needs at least 1 lesson in the basket.")
        for field in ("max_uses", "max_uses_per_student"):
            if data.get(field) == 0:
                self.add_error(field, "Leave it blank for no limit, or allow at least 1 use.")

        starts, ends = data.get("valid_from"), data.get("valid_until")
        if starts and ends and ends <= starts:
            self.add_error("valid_until", "The end must be after the start.")
        return data

    def _clean_value(self, kind: str, value: Decimal | None) -> None:
        if value is None:
            self.add_error("value", _value_missing(kind))
        elif value < 0:
            self.add_error("value", "The value can't be negative.")
        elif kind == OfferKind.PERCENT and value > 100:
            self.add_error("value", "A percentage can't be more than 100.")
        elif kind == OfferKind.PERCENT and value == 0:
            self.add_error("value", "A 0% discount gives nothing: enter a percentage above 0.")
        elif kind == OfferKind.FIXED and value == 0:
            self.add_error("value", "A €0.00 discount gives nothing: enter an amount above 0.")

    def _clean_buy_n_get_m(self, data: dict) -> None:
        data["value"] = Decimal("0.00")  # the deal is in the quantities; a value means nothing
        for field, message in (
            ("buy_quantity", "Say how many lessons the student buys (at least 1)."),
            ("free_quantity", "Say how many lessons are then free (at least 1)."),
        ):
            if not data.get(field) and field not in self.errors:
                self.add_error(field, message)

    def changes(self) -> dict:
        """Keyword arguments for `offer_create` / `offer_update`."""
        data = self.cleaned_data
        return {
            "settings": OfferSettings(**{name: data[name] for name in OFFER_SETTINGS}),
            "teachers": list(data["teachers"]),
        }


def _value_missing(kind: str) -> str:
    return {
        OfferKind.PERCENT: "Enter the percentage off.",
        OfferKind.FIXED: "Enter the amount off, in €.",
        OfferKind.TRIAL_PRICE: "Enter the first lesson's price, in € (0 for free).",
    }[kind]
