from django.core.management.base import BaseCommand

from petittalk.pages.management.commands.seed_demo import (
    DEMO_PASSWORD,
    STAFF_EMAIL,
    STUDENT_EMAIL,
    TEACHER_EMAIL,
)


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for role, email in (
            ("staff", STAFF_EMAIL),
            ("teacher", TEACHER_EMAIL),
            ("student", STUDENT_EMAIL),
        ):
            self.stdout.write(f"  {role:<8} {email}")
        self.stdout.write("")
