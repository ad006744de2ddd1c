from __future__ import annotations

from django import forms

from petittalk.reviews.models import MAX_HIDDEN_REASON, MAX_REPLY, MAX_TEXT, STARS


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Your rating",
        choices=[(stars, f"{stars} ★") for stars in STARS],
        coerce=int,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Your review (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What went well? What could be better? Other students will read it.",
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply", max_length=MAX_REPLY, widget=forms.Textarea(attrs={"rows": 3})
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label="Why hide it (the author sees this)", max_length=MAX_HIDDEN_REASON
    )
