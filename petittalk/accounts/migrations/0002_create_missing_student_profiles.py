from django.db import migrations


def create_missing_student_profiles(apps, schema_editor):
    """Give every student a profile: pages used to create it on first view, which GET must not do.

    Students who signed up got theirs from `student_register`; accounts made in the admin or a
    shell may have none.
    """
    User = apps.get_model("accounts", "User")
    StudentProfile = apps.get_model("accounts", "StudentProfile")
    missing = User.objects.filter(role="student", student_profile__isnull=True)
    StudentProfile.objects.bulk_create([StudentProfile(user=user) for user in missing])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_missing_student_profiles, migrations.RunPython.noop),
    ]
