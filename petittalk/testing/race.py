"""Booking race: many processes try to book overlapping times at the same instant.

    python -m petittalk.testing.race --database-url URL [--rounds 400] [--workers 2]

Run in its own process (the test suite starts it): it sets Django up on the given database,
creates its own teachers and students, forks the workers once (each keeps one connection) and
prints a JSON summary. Two races, each with its own gate releasing its workers together every
round, no sleeps:

* teacher race: `workers` students each ask teacher A for a different but overlapping slot;
  exactly one may win;
* student race: `workers` processes book one shared student with teacher B or C, again in
  different but overlapping slots; the student can only be in one lesson, so exactly one wins.

The races lock different rows (teacher A and its students; teachers B and C and the shared
student), so on PostgreSQL they run side by side; SQLite has one writer at a time, so there they
run one after the other. Finally a self-join counts overlapping blocking bookings (none allowed).

The cost is the attempts themselves (each is a whole `booking_hold`) and, on SQLite, the busy
handler's back-off sleeps, which grow with the writers waiting at once: a few workers and many
rounds give as many attempts and more rounds than many workers and few rounds, in less time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import multiprocessing
import os
import sys
import time
import traceback
import uuid
from decimal import Decimal

# Four unequal slots that all overlap [T+15, T+30): only one can be booked.
OFFERS = [(0, 30), (15, 30), (0, 60), (15, 60)]
KINDS = ("teacher", "student")
# A worker that dies must not leave the others waiting at the gate for ever.
GATE_TIMEOUT_SECONDS = 120


class Gate:
    """A reusable barrier made of semaphores only (Downey, The Little Book of Semaphores, 3.7.7).

    multiprocessing.Barrier, built on a shared Condition, hung for good now and then when two
    parties went round it hundreds of times. Here the last to arrive lets everyone through the
    first turnstile; nobody can come back for the next round before all have left through the
    second one, so a quick worker never takes a slow one's turn.
    """

    def __init__(self, context, parties: int) -> None:
        self.parties = parties
        self.mutex = context.Lock()
        self.count = context.RawValue("i", 0)
        self.way_in = context.Semaphore(0)
        self.way_out = context.Semaphore(0)

    def wait(self) -> None:
        with self.mutex:
            self.count.value += 1
            if self.count.value == self.parties:
                for _ in range(self.parties):
                    self.way_in.release()
        self._pass(self.way_in)
        with self.mutex:
            self.count.value -= 1
            if self.count.value == 0:
                for _ in range(self.parties):
                    self.way_out.release()
        self._pass(self.way_out)

    @staticmethod
    def _pass(turnstile) -> None:
        if not turnstile.acquire(timeout=GATE_TIMEOUT_SECONDS):
            raise TimeoutError("a racing worker never reached the gate")


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["EMAIL_URL"] = "dummy://"
    import django

    django.setup()


def make_world(workers: int) -> dict:
    """Teachers A, B and C available around the clock, one student per teacher-race worker and
    the student of the student race."""
    from django.core.management import call_command

    from petittalk.accounts.models import Role, User
    from petittalk.scheduling.models import AvailabilityRule
    from petittalk.teachers.models import TeacherProfile

    call_command("migrate", verbosity=0)  # a no-op on an already migrated database
    run = uuid.uuid4().hex[:12]  # several races may share one database
    teachers = []
    for name in ("a", "b", "c"):
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
        for n in range(workers + 1)
    ]
    return {"teachers": teachers, "students": students[:workers], "shared_student": students[-1]}


# Round r deals the shapes in the r-th ordering: over 24 rounds every pair (and, with 4 workers,
# every line-up) of unequal slots meets, whatever the number of workers.
ORDERINGS = list(itertools.permutations(range(len(OFFERS))))


def round_start(base: dt.datetime, round_no: int, index: int) -> tuple[dt.datetime, int]:
    """This worker's slot in this round."""
    ordering = ORDERINGS[round_no % len(ORDERINGS)]
    offset, minutes = OFFERS[ordering[index % len(OFFERS)]]
    return base + dt.timedelta(hours=3 * round_no, minutes=offset), minutes


def worker(kind, index, world, rounds, base, gate, results) -> None:
    from django.db import connection

    from petittalk.accounts.models import User
    from petittalk.bookings.services import BookingError, SlotTaken, booking_hold
    from petittalk.teachers.models import TeacherProfile

    connection.close()  # never share the parent's socket: this worker opens its own, once
    outcomes = []
    try:
        teacher_a, teacher_b, teacher_c = (
            TeacherProfile.objects.select_related("user").get(pk=pk) for pk in world["teachers"]
        )
        if kind == "teacher":
            student = User.objects.get(pk=world["students"][index])
        else:
            student = User.objects.get(pk=world["shared_student"])
        for round_no in range(rounds):
            starts_at, minutes = round_start(base, round_no, index)
            if kind == "teacher":
                teacher = teacher_a
            else:
                # One student, two teachers, overlapping times: one lesson at most.
                teacher = teacher_b if (index + round_no) % 2 else teacher_c
            gate.wait()
            try:
                booking_hold(
                    student=student,
                    teacher=teacher,
                    starts_at=starts_at,
                    duration_minutes=minutes,
                    level="B1",
                    purpose="conversation",
                )
                outcome = "won"
            except SlotTaken:
                outcome = "taken"
            except BookingError as exc:
                outcome = f"refused: {exc}"
            except Exception:
                outcome = "error: " + traceback.format_exc(limit=3)
            outcomes.append((kind, round_no, outcome))
    except Exception:
        outcomes.append((kind, -1, "error: " + traceback.format_exc(limit=3)))
    results.put(outcomes)


OVERLAP_SQL = """
    SELECT COUNT(*) FROM bookings_booking a JOIN bookings_booking b
      ON a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
         AND (a.teacher_id = b.teacher_id OR a.student_id = b.student_id)
     WHERE a.status IN ('held', 'requested', 'confirmed', 'completed')
       AND b.status IN ('held', 'requested', 'confirmed', 'completed')
"""


def summarise(outcomes: list, rounds: int) -> dict:
    summary = {}
    for kind in KINDS:
        mine = [o for o in outcomes if o[0] == kind]
        winners_per_round = [
            sum(1 for o in mine if o[1] == r and o[2] == "won") for r in range(rounds)
        ]
        summary[kind] = {
            "attempts": sum(1 for o in mine if o[1] >= 0),
            "winners": sum(winners_per_round),
            "rounds_with_one_winner": sum(1 for w in winners_per_round if w == 1),
            "taken": sum(1 for o in mine if o[2] == "taken"),
            "refused": sum(1 for o in mine if o[2].startswith("refused")),
            "errors": sum(1 for o in mine if o[2].startswith("error")),
        }
    summary["first_errors"] = [o[2] for o in outcomes if o[2] not in ("won", "taken")][:3]
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2, help="processes in each of the 2 races")
    args = parser.parse_args()
    setup_django(args.database_url)

    from django.db import connection, connections
    from django.utils import timezone

    began = time.perf_counter()
    base = (timezone.now() + dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    world = make_world(args.workers)
    connections.close_all()  # the forked workers open their own connections
    set_up = time.perf_counter()

    context = multiprocessing.get_context("fork")
    # Every shared object exists before the first fork: with the second race's gate made after
    # the first race had forked, both races hung at their gates on their first round.
    results = context.Queue()
    races = {
        kind: [
            context.Process(target=worker, args=(kind, n, world, args.rounds, base, gate, results))
            for n in range(args.workers)
        ]
        for kind, gate in ((kind, Gate(context, args.workers)) for kind in KINDS)
    }

    def start(processes: list) -> None:
        for process in processes:
            process.start()

    def collect(processes: list) -> list:
        outcomes = [item for _ in processes for item in results.get(timeout=900)]
        for process in processes:
            process.join(timeout=60)
        return outcomes

    if connection.vendor == "sqlite":
        # One writer at a time: racing both at once only adds back-off sleeps to each round.
        outcomes = []
        for processes in races.values():
            start(processes)
            outcomes += collect(processes)
    else:
        for processes in races.values():
            start(processes)
        outcomes = collect([p for processes in races.values() for p in processes])
    raced = time.perf_counter()

    summary = {
        "attempts": sum(1 for o in outcomes if o[1] >= 0),
        "workers": args.workers,
        "rounds": args.rounds,
        **summarise(outcomes, args.rounds),
    }
    with connection.cursor() as cursor:
        cursor.execute(OVERLAP_SQL)
        summary["overlapping_pairs"] = cursor.fetchone()[0]
    summary["vendor"] = connection.vendor
    summary["set_up_seconds"] = round(set_up - began, 2)
    summary["race_seconds"] = round(raced - set_up, 2)
    json.dump(summary, sys.stdout)


if __name__ == "__main__":
    main()
