from __future__ import annotations

from django import forms

from petittalk.core.forms import CheckedPhotoMixin
from petittalk.core.uploads import (
    UploadRejected,
    clean_video_upload,
    normalise_video_link,
)
from petittalk.core.widgets import (
    PhotoInput,
    QuickNumberInput,
    QuickSelect,
    QuickTextInput,
    VideoInput,
)
from petittalk.teachers.models import (
    FAVOURITES,
    MAX_PRICE,
    Language,
    Specialty,
    TeacherProfile,
)
from petittalk.teachers.selectors import DIRECTORY_ORDERINGS, MIN_RATINGS, DirectoryFilters
from petittalk.teachers.services import TeacherProfileError, validate_teacher_prices

SORT_LABELS = {
    "recommended": "Recommended",
    "price_low": "Price: low to high",
    "price_high": "Price: high to low",
    "newest": "Newest",
    "rating": "Rating",
}


class DirectoryFilterForm(forms.Form):
    # Widgets built in Python: this form renders on every directory request.
    q = forms.CharField(label="Search", max_length=100, required=False, widget=QuickTextInput)
    specialty = forms.ChoiceField(label="Specialty", required=False, widget=QuickSelect)
    language = forms.ChoiceField(label="Also speaks", required=False, widget=QuickSelect)
    min_price = forms.DecimalField(
        label="Min € / hour",
        min_value=0,
        max_value=MAX_PRICE,
        decimal_places=2,
        required=False,
        widget=QuickNumberInput,
    )
    max_price = forms.DecimalField(
        label="Max € / hour",
        min_value=0,
        max_value=MAX_PRICE,
        decimal_places=2,
        required=False,
        widget=QuickNumberInput,
    )
    rating = forms.TypedChoiceField(
        label="Rating",
        choices=[("", "Any rating")] + [(stars, f"{stars}★ and up") for stars in MIN_RATINGS],
        coerce=int,
        empty_value=None,
        required=False,
        widget=QuickSelect,
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[(k, SORT_LABELS[k]) for k in DIRECTORY_ORDERINGS],
        required=False,
        widget=QuickSelect,
    )

    def __init__(self, *args, specialties: list[Specialty], languages: list[Language], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"].choices = [("", "Any specialty")] + [
            (s.slug, s.name) for s in specialties
        ]
        self.fields["language"].choices = [("", "Any language")] + [
            (lang.code, lang.name) for lang in languages
        ]
        for field in ("min_price", "max_price"):
            self.fields[field].widget.attrs.update(inputmode="decimal", step="1", placeholder="€")

    def clean(self):
        data = super().clean()
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", "The maximum must be at least the minimum.")
        return data

    def filters(self) -> DirectoryFilters:
        """The valid filters; a field with a bad value is left out (its error is shown)."""
        data = self.cleaned_data if self.is_bound else {}
        errors = self.errors if self.is_bound else {}
        value = {k: v for k, v in data.items() if k not in errors and v not in (None, "")}
        if "min_price" in errors or "max_price" in errors:
            # One bad bound (or a reversed range) makes the range meaningless: drop both.
            value.pop("min_price", None)
            value.pop("max_price", None)
        return DirectoryFilters(
            text=value.get("q", ""),
            specialty=value.get("specialty", ""),
            language=value.get("language", ""),
            min_price=value.get("min_price"),
            max_price=value.get("max_price"),
            min_rating=value.get("rating"),
            sort=value.get("sort", "recommended"),
        )


class TeacherProfileForm(CheckedPhotoMixin, forms.ModelForm):
    """What a teacher edits about themselves. Staff get the same form plus publishing fields."""

    display_name = forms.CharField(label="Name shown to students", max_length=80)

    clean_video_result = None

    class Meta:
        model = TeacherProfile
        fields = [
            "headline",
            "bio",
            "photo",
            "intro_video",
            "intro_video_url",
            "languages",
            "specialties",
            "price_30",
            "price_60",
            *FAVOURITES,
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 8}),
            "languages": forms.CheckboxSelectMultiple,
            "specialties": forms.CheckboxSelectMultiple,
            "photo": PhotoInput,
            "intro_video": VideoInput,
        }
        labels = {
            "price_30": "Price for a 30-minute lesson (€)",
            "price_60": "Price for a 60-minute lesson (€)",
            "languages": "Languages you speak",
        }
        help_texts = {
            "headline": "One line students see on your card, e.g. “Conversation coach from Lyon”.",
            "photo": "A friendly, well-lit photo of your face. JPEG, PNG or WebP, up to 5 MB.",
            "intro_video": "MP4 or WebM, up to 50 MB. Or paste a YouTube/Vimeo link below.",
            "favourite_word": "Optional, like the three below: shown on your page when filled in.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["display_name"].initial = self.instance.user.display_name
        self.order_fields(["display_name", *self.Meta.fields])

    def clean_intro_video(self):
        video = self.cleaned_data.get("intro_video")
        if video and hasattr(video, "content_type"):
            try:
                self.clean_video_result = clean_video_upload(video)
            except UploadRejected as exc:
                raise forms.ValidationError(str(exc)) from exc
        return video

    def clean_intro_video_url(self):
        url = self.cleaned_data.get("intro_video_url", "").strip()
        if not url:
            return ""
        try:
            return normalise_video_link(url)
        except UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        p30, p60 = data.get("price_30"), data.get("price_60")
        if p30 is not None and p60 is not None:
            try:
                validate_teacher_prices(price_30=p30, price_60=p60)
            except TeacherProfileError as exc:
                self.add_error(exc.field, str(exc))
        return data

    def changes(self) -> dict:
        """Keyword arguments for `teacher_profile_update`."""
        data = self.cleaned_data
        return {
            "display_name": data["display_name"],
            "headline": data["headline"],
            "bio": data["bio"],
            "languages": list(data["languages"]),
            "specialties": list(data["specialties"]),
            "price_30": data["price_30"],
            "price_60": data["price_60"],
            "video_url": data["intro_video_url"],
            "photo": self.clean_photo_result,
            "clear_photo": data.get("photo") is False,
            "video": self.clean_video_result,
            "clear_video": data.get("intro_video") is False,
            **{name: data[name] for name in FAVOURITES},
        }


class StaffTeacherProfileForm(TeacherProfileForm):
    class Meta(TeacherProfileForm.Meta):
        fields = [*TeacherProfileForm.Meta.fields, "slug", "is_published", "is_featured"]

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            **super().changes(),
            "slug": data["slug"],
            "is_published": data["is_published"],
            "is_featured": data["is_featured"],
        }


class TeacherInviteForm(forms.Form):
    display_name = forms.CharField(label="Teacher's name", max_length=80)
    email = forms.EmailField(label="Email address")
