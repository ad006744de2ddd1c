from django.core.management.base import BaseCommand

from petittalk.demo.management.commands.seed_demo import (
    DEMO_PASSWORD,
    STAFF_EMAIL,
    STUDENT_EMAIL,
    STUDENT_NAMES,
    TEACHER_EMAIL,
    TEACHERS,
)


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options) -> None:
        # Read from seed_demo's own data, so the list cannot drift from the accounts it creates.
        other_teachers = ", ".join(t.email for t in TEACHERS if t.email != TEACHER_EMAIL)
        last_student = f"student{len(STUDENT_NAMES):02d}@example.com"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for role, email in (
            ("staff", STAFF_EMAIL),
            ("teacher", TEACHER_EMAIL),
            ("student", STUDENT_EMAIL),
        ):
            self.stdout.write(f"  {role:<8} {email}")
        self.stdout.write(f"  Other teachers: {other_teachers}")
        self.stdout.write(
            f"  Other students: student01@example.com … {last_student} "
            f"({len(STUDENT_NAMES) + 1} students with Sam)"
        )
        self.stdout.write("")
