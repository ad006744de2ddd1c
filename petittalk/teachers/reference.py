"""Reference data every installation has: the languages and specialties teachers choose from."""

from __future__ import annotations

LANGUAGES = [
    ("fr", "French"),
    ("en", "English"),
    ("es", "Spanish"),
    ("de", "German"),
    ("it", "Italian"),
    ("pt", "Portuguese"),
    ("nl", "Dutch"),
    ("ar", "Arabic"),
    ("zh", "Chinese"),
    ("ja", "Japanese"),
]
SPECIALTIES = [
    ("conversation", "Conversation"),
    ("grammar", "Grammar"),
    ("exam-prep", "Exam prep (DELF/DALF)"),
    ("business", "Business French"),
    ("travel", "Travel French"),
    ("children", "French for children"),
]


def ensure_reference_data(language_model=None, specialty_model=None) -> None:
    """Create or refresh the rows (idempotent). Migrations pass their historical models."""
    if language_model is None or specialty_model is None:
        from petittalk.teachers.models import Language, Specialty

        language_model, specialty_model = Language, Specialty
    for code, name in LANGUAGES:
        language_model.objects.update_or_create(code=code, defaults={"name": name})
    for position, (slug, name) in enumerate(SPECIALTIES):
        specialty_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
