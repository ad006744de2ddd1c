from __future__ import annotations

import secrets
from decimal import Decimal

from django import forms

from petittalk.audit.models import OBJECT_TYPES
from petittalk.core.money import format_money
from petittalk.core.timefmt import format_datetime
from petittalk.orders.models import Order, OrderLine
from petittalk.orders.selectors import refundable_lines
from petittalk.orders.services import REFUND_KEY_MAX_LENGTH

STALE_FORM = "This form is out of date: reload the page and try again."


class RefundLineForm(forms.Form):
    """Refund (part of) one paid lesson by hand. The hidden key makes a double submit harmless."""

    line = forms.ModelChoiceField(queryset=None, label="Lesson")
    amount = forms.DecimalField(
        label="Amount (€)", min_value=Decimal("0.01"), max_digits=7, decimal_places=2
    )
    reason = forms.CharField(label="Reason", max_length=60, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=REFUND_KEY_MAX_LENGTH)

    def __init__(self, *args, order: Order, viewer_timezone: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Fully refunded lessons are not offered: there is nothing left to send back.
        self.fields["line"].queryset = refundable_lines(order)
        self.fields["line"].label_from_instance = lambda line: _line_label(line, viewer_timezone)
        if not self.is_bound:
            self.initial["idempotency_key"] = f"staff-{order.pk}-{secrets.token_hex(8)}"

    def clean(self) -> dict:
        cleaned = super().clean()
        # Said plainly, not as "(Hidden field idempotency_key) …": staff never see that field.
        if self.has_error("idempotency_key"):
            del self.errors["idempotency_key"]
            raise forms.ValidationError(STALE_FORM)
        return cleaned


def _line_label(line: OrderLine, viewer_timezone: str) -> str:
    label = (
        f"{line.teacher_name}, {format_datetime(line.starts_at, viewer_timezone)}"
        f" — paid {format_money(line.total)}"
    )
    if line.refunded:
        label += f", {format_money(line.total - line.refunded)} left to refund"
    return label


class AuditFilterForm(forms.Form):
    """Narrow the audit log to one object (its kind and number) and/or one person."""

    object_type = forms.ChoiceField(
        label="Object", choices=[("", "Any"), *OBJECT_TYPES.items()], required=False
    )
    object_id = forms.CharField(label="Number", max_length=64, required=False)
    actor = forms.EmailField(label="Done by (email)", required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("object_id") and not cleaned.get("object_type"):
            raise forms.ValidationError("Choose what kind of object the number is for.")
        return cleaned
