from django.db import migrations

from petittalk.teachers.reference import ensure_reference_data


def seed(apps, schema_editor):
    ensure_reference_data(
        apps.get_model("teachers", "Language"), apps.get_model("teachers", "Specialty")
    )


class Migration(migrations.Migration):
    dependencies = [("teachers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
