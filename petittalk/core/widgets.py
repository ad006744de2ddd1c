from django.forms import ClearableFileInput


class PhotoInput(ClearableFileInput):
    """File input that previews the current photo instead of printing its storage path."""

    template_name = "core/widgets/photo_input.html"
    clear_checkbox_label = "Remove this photo"

    def __init__(self, attrs=None) -> None:
        super().__init__({"accept": "image/jpeg,image/png,image/webp", **(attrs or {})})


class VideoInput(ClearableFileInput):
    template_name = "core/widgets/video_input.html"
    clear_checkbox_label = "Remove this video"

    def __init__(self, attrs=None) -> None:
        super().__init__({"accept": "video/mp4,video/webm", **(attrs or {})})
