"""Booking race: many processes try to book overlapping times at the same instant.

    python -m petittalk.testing.race --database-url URL [--rounds 50] [--workers 32]

Run in its own process (the test suite starts it): it sets Django up on the given database,
creates its own teacher(s) and students, forks the workers and prints a JSON summary. Each round
every worker asks for a different but overlapping slot of one teacher, released together by a
barrier; exactly one may win. Then the same with one student racing themselves across two
teachers. Finally a self-join counts overlapping blocking bookings (there must be none).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import sys
import traceback
from decimal import Decimal


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["EMAIL_URL"] = "dummy://"
    import django

    django.setup()


def make_world(workers: int, base: dt.datetime):
    """A teacher available around the clock, a second one, and one student per worker."""
    from django.core.management import call_command

    from petittalk.accounts.models import Role, User
    from petittalk.scheduling.models import AvailabilityRule
    from petittalk.teachers.models import TeacherProfile

    call_command("migrate", verbosity=0)  # a no-op on an already migrated database
    run = base.strftime("%Y%m%d%H%M%S%f")
    teachers = []
    for name in ("a", "b"):
        user = User.objects.create(
            email=f"race-teacher-{name}-{run}@example.com",
            role=Role.TEACHER,
            timezone="Europe/Paris",
        )
        teacher = TeacherProfile.objects.create(
            user=user,
            slug=f"race-{name}-{run}",
            is_published=True,
            price_30=Decimal("10"),
            price_60=Decimal("20"),
            slot_step_minutes=15,
            min_notice_hours=0,
            horizon_days=180,
        )
        AvailabilityRule.objects.bulk_create(
            AvailabilityRule(teacher=teacher, weekday=d, start_minute=0, end_minute=1440)
            for d in range(7)
        )
        teachers.append(teacher.pk)
    students = [
        User.objects.create(email=f"race-s{n}-{run}@example.com", role=Role.STUDENT).pk
        for n in range(workers)
    ]
    return teachers, students


# Four unequal slots that all overlap [T+15, T+30): only one can be booked.
OFFERS = [(0, 30), (15, 30), (0, 60), (15, 60)]


def worker(index, teachers, students, rounds, base, barrier, results) -> None:
    from django.db import connection

    from petittalk.accounts.models import User
    from petittalk.bookings.services import BookingError, SlotTaken, booking_hold
    from petittalk.teachers.models import TeacherProfile

    connection.close()  # never share the parent's socket
    teacher_a = TeacherProfile.objects.select_related("user").get(pk=teachers[0])
    teacher_b = TeacherProfile.objects.select_related("user").get(pk=teachers[1])
    me = User.objects.get(pk=students[index])
    shared_student = User.objects.get(pk=students[0])
    outcomes = []

    def attempt(kind, round_no, **kwargs):
        try:
            booking_hold(level="B1", purpose="conversation", **kwargs)
            outcomes.append((kind, round_no, "won"))
        except SlotTaken:
            outcomes.append((kind, round_no, "taken"))
        except BookingError as exc:
            outcomes.append((kind, round_no, f"refused: {exc}"))
        except Exception:
            outcomes.append((kind, round_no, "error: " + traceback.format_exc(limit=3)))

    for round_no in range(rounds):
        offset, minutes = OFFERS[index % len(OFFERS)]
        starts_at = base + dt.timedelta(hours=3 * round_no, minutes=offset)
        barrier.wait()
        attempt(
            "teacher",
            round_no,
            student=me,
            teacher=teacher_a,
            starts_at=starts_at,
            duration_minutes=minutes,
        )
    for round_no in range(rounds):
        # One student, two teachers, same time: the student can only be in one lesson.
        starts_at = base + dt.timedelta(days=30, hours=3 * round_no)
        barrier.wait()
        attempt(
            "student",
            round_no,
            student=shared_student,
            teacher=teacher_a if index % 2 else teacher_b,
            starts_at=starts_at,
            duration_minutes=60,
        )
    results.put(outcomes)


OVERLAP_SQL = """
    SELECT COUNT(*) FROM bookings_booking a JOIN bookings_booking b
      ON a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
         AND (a.teacher_id = b.teacher_id OR a.student_id = b.student_id)
     WHERE a.status IN ('held', 'requested', 'confirmed', 'completed')
       AND b.status IN ('held', 'requested', 'confirmed', 'completed')
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--workers", type=int, default=32)
    args = parser.parse_args()
    setup_django(args.database_url)

    from django.db import connection, connections
    from django.utils import timezone

    base = (timezone.now() + dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    teachers, students = make_world(args.workers, base)
    connections.close_all()  # the forked workers open their own connections

    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(args.workers)
    results = context.Queue()
    processes = [
        context.Process(
            target=worker, args=(n, teachers, students, args.rounds, base, barrier, results)
        )
        for n in range(args.workers)
    ]
    for process in processes:
        process.start()
    outcomes = [item for _ in processes for item in results.get(timeout=600)]
    for process in processes:
        process.join(timeout=60)

    summary = {"attempts": len(outcomes), "workers": args.workers, "rounds": args.rounds}
    for kind in ("teacher", "student"):
        mine = [o for o in outcomes if o[0] == kind]
        winners_per_round = [
            sum(1 for o in mine if o[1] == r and o[2] == "won") for r in range(args.rounds)
        ]
        summary[kind] = {
            "attempts": len(mine),
            "winners": sum(winners_per_round),
            "rounds_with_one_winner": sum(1 for w in winners_per_round if w == 1),
            "taken": sum(1 for o in mine if o[2] == "taken"),
            "refused": sum(1 for o in mine if o[2].startswith("refused")),
            "errors": sum(1 for o in mine if o[2].startswith("error")),
        }
    summary["first_errors"] = [o[2] for o in outcomes if o[2] not in ("won", "taken")][:3]
    with connection.cursor() as cursor:
        cursor.execute(OVERLAP_SQL)
        summary["overlapping_pairs"] = cursor.fetchone()[0]
    summary["vendor"] = connection.vendor
    json.dump(summary, sys.stdout)


if __name__ == "__main__":
    main()
