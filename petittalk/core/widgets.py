from django.forms import ClearableFileInput, NumberInput, Select, TextInput
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe


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


class RenderedInPython:
    """A text, number or select input whose HTML is built here, not by Django's widget templates,
    byte for byte as they would build it. A select renders a template per option (and one more
    for its attributes): on the teacher directory, whose filters render on every request, that
    was a quarter of the page's time."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        if "optgroups" in widget:
            return mark_safe(_select_html(widget))
        html = f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        if widget["value"] is not None:
            html += f' value="{escape(widget["value"])}"'
        return mark_safe(f"{html}{_attrs_html(widget['attrs'])}>")


def _attrs_html(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: `True` is a bare name, `False` leaves it out."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select_html(widget: dict) -> str:
    parts = [f'<select name="{escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{escape(option["value"])}"'
                f"{_attrs_html(option['attrs'])}>{escape(option['label'])}</option>\n"
            )  # the option template's last line break, kept: the same bytes
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class QuickTextInput(RenderedInPython, TextInput):
    pass


class QuickNumberInput(RenderedInPython, NumberInput):
    pass


class QuickSelect(RenderedInPython, Select):
    pass
