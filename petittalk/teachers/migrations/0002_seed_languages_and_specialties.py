from django.db import migrations

LANGUAGES = [
    ("fr", "French"), ("en", "English"), ("es", "Spanish"), ("de", "German"), ("it", "Italian"),
    ("pt", "Portuguese"), ("nl", "Dutch"), ("ar", "Arabic"), ("zh", "Chinese"), ("ja", "Japanese"),
]
SPECIALTIES = [
    ("conversation", "Conversation"),
    ("grammar", "Grammar"),
    ("exam-prep", "Exam prep (DELF/DALF)"),
    ("business", "Business French"),
    ("travel", "Travel French"),
    ("children", "French for children"),
]


def seed(apps, schema_editor):
    Language = apps.get_model("teachers", "Language")
    Specialty = apps.get_model("teachers", "Specialty")
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})
    for position, (slug, name) in enumerate(SPECIALTIES):
        Specialty.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("teachers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
