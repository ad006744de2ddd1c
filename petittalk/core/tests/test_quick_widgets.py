"""The widgets built in Python write exactly what Django's widget templates write."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from petittalk.core.widgets import QuickNumberInput, QuickSelect, QuickTextInput

CHOICES = [("", "Any"), ("a&b", "Fish & <chips>"), ("c", "Crêpes")]


def make_form(text=forms.TextInput, number=forms.NumberInput, select=forms.Select):
    class Filters(forms.Form):
        q = forms.CharField(
            max_length=100, required=False, help_text="Words", widget=text({"placeholder": '"x"'})
        )
        price = forms.DecimalField(
            min_value=0, decimal_places=2, required=False, widget=number({"step": "1"})
        )
        kind = forms.ChoiceField(choices=CHOICES, required=False, widget=select)
        grouped = forms.ChoiceField(
            choices=[("Sweet", [("c", "Crêpes")]), ("s", "Soup")], widget=select
        )

    return Filters


Templated = make_form()
Quick = make_form(QuickTextInput, QuickNumberInput, QuickSelect)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"q": "crêpe <b>", "price": "12.50", "kind": "a&b", "grouped": "c"},
        {"q": "x" * 101, "price": "-1", "kind": "nope"},  # errors: aria-invalid, describedby
    ],
)
def test_each_field_renders_as_django_would(data):
    templated, quick = Templated(data), Quick(data)
    if data:
        templated.is_valid(), quick.is_valid()

    for name in ("q", "price", "kind", "grouped"):
        assert str(quick[name]) == str(templated[name]), name


def test_a_decimal_initial_value_is_written_like_the_template_writes_it():
    templated = Templated(initial={"price": Decimal("7.50")})
    quick = Quick(initial={"price": Decimal("7.50")})

    assert str(quick["price"]) == str(templated["price"])
