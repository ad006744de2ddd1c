from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Every form on the site renders the same accessible way (label, input, help, errors)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
