import re

from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(label="Offer code", max_length=30, required=False)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().upper()
        if code and not re.fullmatch(r"[A-Z0-9_-]+", code):
            raise forms.ValidationError("Codes have only letters, digits, - and _.")
        return code
