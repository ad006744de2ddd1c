from __future__ import annotations

from collections.abc import Callable, Sequence

from django import forms

from petittalk.scheduling.models import MINUTES_PER_DAY, Weekday, minutes_label
from petittalk.scheduling.services import (
    GRID_MINUTES,
    MAX_HORIZON_DAYS,
    MAX_NOTICE_HOURS,
    TIME_OFF_NOTE_LENGTH,
    ScheduleError,
    copy_targets,
    validate_availability_range,
    validate_booking_settings,
    validate_time_off,
)
from petittalk.teachers.models import TeacherProfile

# Quarter hours: a start from 00:00 to 23:45, an end from 00:15 to midnight at the day's end.
START_CHOICES = [(m, minutes_label(m)) for m in range(0, MINUTES_PER_DAY, GRID_MINUTES)]
END_CHOICES = [
    (m, minutes_label(m)) for m in range(GRID_MINUTES, MINUTES_PER_DAY, GRID_MINUTES)
] + [(MINUTES_PER_DAY, "24:00 (midnight)")]


class AvailabilityRuleForm(forms.Form):
    weekday = forms.TypedChoiceField(label="Day", choices=Weekday.choices, coerce=int)
    start_minute = forms.TypedChoiceField(
        label="From", choices=START_CHOICES, coerce=int, initial=9 * 60
    )
    end_minute = forms.TypedChoiceField(
        label="To", choices=END_CHOICES, coerce=int, initial=12 * 60
    )

    def clean(self):
        data = super().clean()
        _ask(self, validate_availability_range, data, ("weekday", "start_minute", "end_minute"))
        return data


class CopyDayForm(forms.Form):
    from_weekday = forms.TypedChoiceField(
        label="Copy the hours of", choices=Weekday.choices, coerce=int, initial=Weekday.MONDAY
    )
    to_weekdays = forms.TypedMultipleChoiceField(
        label="To",
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY],
        help_text="Their current hours are replaced.",
        error_messages={"required": "Choose at least one day to copy to."},
    )

    def clean(self):
        data = super().clean()
        targets = _ask(self, copy_targets, data, ("from_weekday", "to_weekdays"))
        if targets is not None:
            data["to_weekdays"] = targets
        return data


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeOffForm(forms.Form):
    first_day = forms.DateField(label="First day off", widget=DateInput)
    last_day = forms.DateField(
        label="Last day off", widget=DateInput, help_text="Both days are included."
    )
    note = forms.CharField(
        label="Note (only you see it)",
        max_length=TIME_OFF_NOTE_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Holiday in Brittany"}),
    )

    def clean(self):
        data = super().clean()
        _ask(self, validate_time_off, data, ("first_day", "last_day", "note"))
        return data


class BookingSettingsForm(forms.ModelForm):
    """How students may book the teacher. The service writes; this only checks the input."""

    min_notice_hours = forms.IntegerField(
        label="Minimum notice (hours)",
        min_value=0,
        max_value=MAX_NOTICE_HOURS,
        help_text=(
            "How long before a lesson students must book it: 12 hours gives you time to "
            "prepare, 0 allows last-minute lessons."
        ),
    )
    horizon_days = forms.IntegerField(
        label="Students can book up to (days ahead)",
        min_value=1,
        max_value=MAX_HORIZON_DAYS,
        help_text=f"From 1 to {MAX_HORIZON_DAYS} days.",
    )

    class Meta:
        model = TeacherProfile
        fields = [
            "offers_30",
            "offers_60",
            "min_notice_hours",
            "horizon_days",
            "buffer_minutes",
            "slot_step_minutes",
            "instant_booking",
        ]
        labels = {
            "offers_30": "Offer 30-minute lessons",
            "offers_60": "Offer 60-minute lessons",
            "buffer_minutes": "Break between lessons",
            "slot_step_minutes": "Lessons can start every",
            "instant_booking": "Instant booking",
        }
        help_texts = {
            "offers_60": "Keep at least one lesson length on.",
            "buffer_minutes": "Kept free before and after each lesson.",
            "slot_step_minutes": "Every 30 min means lessons can start at 9:00, 9:30, 10:00…",
            "instant_booking": (
                "On: paid lessons are confirmed straight away. "
                "Off: you accept or decline each request within 48 hours."
            ),
        }

    def clean(self):
        data = super().clean()
        # Errors land on their fields, so the model's check constraint (a lesson length
        # offered) is not also reported in its words.
        _ask(
            self,
            validate_booking_settings,
            data,
            [f for f in self.Meta.fields if f != "instant_booking"],
        )
        return data

    def changes(self) -> dict:
        """Keyword arguments for `booking_settings_update`."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _ask(form: forms.Form, rules: Callable, data: dict, names: Sequence[str]):
    """Check the values of `names` with one of the services' rules (when the form could read
    them all) and show a broken rule on its field. Returns what the rules return."""
    if any(name not in data for name in names):
        return None
    try:
        return rules(**{name: data[name] for name in names})
    except ScheduleError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return None
