"""Free slots from the database for a teacher with 10,000 past and future bookings (PostgreSQL).

Measures `teacher_free_slots` for 8 weeks (time and queries) and the teacher page's query count
with 10 and with 10,000 bookings. Starts its own throwaway PostgreSQL 15, like the test suite.
Run by `make bench` (python -m bench).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from decimal import Decimal

from petittalk.testing.postgres import TemporaryPostgres

RUNS = 200


def main() -> dict:
    server = TemporaryPostgres.start()
    try:
        os.environ.update(
            DATABASE_URL=server.url,
            DEBUG="1",
            TASKS_BACKEND="immediate",
            EMAIL_URL="dummy://",
            DJANGO_SETTINGS_MODULE="config.settings",
            ALLOWED_HOSTS="*",
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return measure()
    finally:
        server.stop()


def measure() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from petittalk.accounts.models import Role, User
    from petittalk.bookings.models import Booking, BookingStatus
    from petittalk.bookings.selectors import teacher_free_slots
    from petittalk.scheduling.models import AvailabilityRule
    from petittalk.teachers.models import TeacherProfile

    user = User.objects.create(
        email="bench@example.com", role=Role.TEACHER, timezone="Europe/Paris"
    )
    teacher = TeacherProfile.objects.create(
        user=user, slug="bench", is_published=True, horizon_days=90, buffer_minutes=10
    )
    AvailabilityRule.objects.bulk_create(
        AvailabilityRule(teacher=teacher, weekday=d, start_minute=s, end_minute=e)
        for d in range(6)
        for s, e in ((8 * 60, 12 * 60), (14 * 60, 20 * 60))
    )
    students = [
        User.objects.create(email=f"s{n}@example.com", role=Role.STUDENT) for n in range(50)
    ]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    client = Client()

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/teachers/bench/").status_code == 200
        return len(captured)

    def add(count: int, first: int) -> None:
        # A lesson every 7 hours: 10,000 of them reach about 4 years either side of now.
        Booking.objects.bulk_create(
            Booking(
                teacher=teacher,
                student=students[n % 50],
                starts_at=now + dt.timedelta(hours=7 * (n - 5_000)),
                ends_at=now + dt.timedelta(hours=7 * (n - 5_000), minutes=60),
                duration_minutes=60,
                level="B1",
                purpose="conversation",
                price=Decimal("22"),
                status=BookingStatus.COMPLETED if n < 5_000 else BookingStatus.CONFIRMED,
            )
            for n in range(first, first + count)
        )

    add(10, 4_995)
    queries_with_10 = page_queries()
    add(4_995, 0)
    add(4_995, 5_005)
    assert Booking.objects.filter(teacher=teacher).count() == 10_000
    queries_with_10000 = page_queries()

    teacher = TeacherProfile.objects.select_related("user").get(pk=teacher.pk)
    start, end = now, now + dt.timedelta(weeks=8)
    timings = []
    slots = []
    for _ in range(RUNS):
        began = time.perf_counter()
        slots = teacher_free_slots(
            teacher, window_start=start, window_end=end, duration_minutes=60, now=now
        )
        timings.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as captured:
        teacher_free_slots(
            teacher, window_start=start, window_end=end, duration_minutes=60, now=now
        )
    timings.sort()
    figures = {
        "bookings": 10_000,
        "slots_in_8_weeks": len(slots),
        "free_slots_p50_ms": round(statistics.median(timings), 2),
        "free_slots_p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "free_slots_max_ms": round(timings[-1], 2),
        "free_slots_queries": len(captured),
        "teacher_page_queries_10_bookings": queries_with_10,
        "teacher_page_queries_10000_bookings": queries_with_10000,
    }
    for name, value in figures.items():
        print(f"{name:>40}: {value}")
    return figures


if __name__ == "__main__":
    main()
