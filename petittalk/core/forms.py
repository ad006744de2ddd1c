from django import forms
from django.forms.renderers import DjangoTemplates

from petittalk.core.uploads import CleanImage, UploadRejected, clean_image_upload


class FormRenderer(DjangoTemplates):
    """Every form on the site renders the same accessible way (label, input, help, errors)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class CheckedPhotoMixin:
    """A form's `photo` upload is checked and re-encoded; the result waits in `clean_photo_result`.

    The form never saves the raw upload: the service stores `clean_photo_result` instead.
    """

    clean_photo_result: CleanImage | None = None

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload, not the current file
            try:
                self.clean_photo_result = clean_image_upload(photo)
            except UploadRejected as exc:
                raise forms.ValidationError(str(exc)) from exc
        return photo
