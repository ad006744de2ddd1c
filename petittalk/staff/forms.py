from __future__ import annotations

import secrets
from decimal import Decimal

from django import forms

from petittalk.orders.models import Order
from petittalk.payments.services import REFUND_KEY_MAX_LENGTH

STALE_FORM = "This form is out of date: reload the page and try again."


class RefundLineForm(forms.Form):
    """Refund (part of) one paid lesson by hand. The hidden key makes a double submit harmless."""

    line = forms.ModelChoiceField(queryset=None, label="Lesson")
    amount = forms.DecimalField(
        label="Amount (€)", min_value=Decimal("0.01"), max_digits=7, decimal_places=2
    )
    reason = forms.CharField(label="Reason", max_length=60, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=REFUND_KEY_MAX_LENGTH)

    def __init__(self, *args, order: Order, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = order.lines.all()
        self.fields["line"].label_from_instance = lambda line: (
            f"{line.teacher_name}, {line.starts_at:%d %b %Y %H:%M} UTC — paid €{line.total}"
        )
        if not self.is_bound:
            self.initial["idempotency_key"] = f"staff-{order.pk}-{secrets.token_hex(8)}"

    def clean(self) -> dict:
        cleaned = super().clean()
        # Said plainly, not as "(Hidden field idempotency_key) …": staff never see that field.
        if self.has_error("idempotency_key"):
            del self.errors["idempotency_key"]
            raise forms.ValidationError(STALE_FORM)
        return cleaned
