from django.forms import ClearableFileInput


class PreviewFileInput(ClearableFileInput):
    """File input that previews the current file instead of printing its storage path."""

    template_name = "core/widgets/file_input.html"
    preview = "image"
    accept = ""

    def __init__(self, attrs=None) -> None:
        super().__init__({"accept": self.accept, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["preview"] = self.preview
        return context


class PhotoInput(PreviewFileInput):
    accept = "image/jpeg,image/png,image/webp"
    clear_checkbox_label = "Remove this photo"


class VideoInput(PreviewFileInput):
    preview = "video"
    accept = "video/mp4,video/webm"
    clear_checkbox_label = "Remove this video"
