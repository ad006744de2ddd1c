"""The Django side of bench_pages.py, run in a subprocess with the configuration under test
(its DATABASE_URL, REDIS_URL...), so the benchmark itself stays free of any one Django setup.

    python -m bench.pages_setup prepare --scale 1x --out prep.json --race-file race.tsv
        migrate, grow the dataset to the scale, log the measured people in (sessions made
        directly, as a login would), count each page's queries with the test client
    python -m bench.pages_setup race-reset --race-file race.tsv
        after a booking POST run: count overlapping bookings by SQL and the holds the race won,
        then delete those holds so the next round fights over the same free slots
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from urllib.parse import parse_qs, urlencode

import django

django.setup()

# Django must be set up before the models are imported.
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.middleware.csrf import CSRF_ALLOWED_CHARS  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from bench import dataset  # noqa: E402
from petittalk.accounts.models import User  # noqa: E402
from petittalk.bookings.models import BLOCKING_STATUSES, Booking, BookingStatus  # noqa: E402
from petittalk.bookings.selectors import teacher_free_slots  # noqa: E402
from petittalk.teachers.models import TeacherProfile  # noqa: E402
from petittalk.testing.caches import forget_cached_content  # noqa: E402

HOST = "127.0.0.1"
RACE_SLOTS, RACE_STUDENTS = 4, 100
DIRECTORY_FILTER = "?specialty=conversation&max_price=35&sort=price_low"


def session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def targets() -> list[dict]:
    """What is measured, in order: name, path, who asks (a Cookie header) and, for the POST, how."""
    teacher = TeacherProfile.objects.get(user__email=dataset.MEASURED_TEACHER)
    staff = session_cookie(User.objects.get(email=dataset.STAFF_EMAIL))
    student = session_cookie(User.objects.get(email=dataset.MEASURED_STUDENT))
    page = teacher.get_absolute_url()
    return [
        {"name": "ceiling (bare Django view)", "key": "ceiling", "path": "/bench/bare/"},
        {"name": "home", "key": "home", "path": "/"},
        {"name": "directory", "key": "directory", "path": "/teachers/"},
        {
            "name": "directory, filtered",
            "key": "directory_filtered",
            "path": "/teachers/" + DIRECTORY_FILTER,
        },
        {"name": "teacher page with slots", "key": "teacher_page", "path": page},
        {
            "name": "basket (2 held lessons)",
            "key": "basket",
            "path": "/basket/",
            "cookie": session_cookie(User.objects.get(email=dataset.BASKET_STUDENT)),
        },
        {
            "name": "student dashboard",
            "key": "student_dashboard",
            "path": "/dashboard/student/",
            "cookie": student,
        },
        {
            "name": "teacher dashboard",
            "key": "teacher_dashboard",
            "path": "/dashboard/teacher/",
            "cookie": session_cookie(teacher.user),
        },
        {"name": "staff home", "key": "staff_home", "path": "/staff/", "cookie": staff},
        {
            "name": "staff booking list",
            "key": "staff_bookings",
            "path": "/staff/bookings/",
            "cookie": staff,
        },
        {
            "name": "staff order list",
            "key": "staff_orders",
            "path": "/staff/orders/",
            "cookie": staff,
        },
        {
            "name": "booking POST, contended",
            "key": "booking_post",
            "path": f"/book/{teacher.slug}/",
            "method": "POST",
        },
    ]


def race_slots(teacher: TeacherProfile, now: dt.datetime) -> list[dt.datetime]:
    """A few of the measured teacher's free hours, two days out and apart from each other."""
    free = teacher_free_slots(
        teacher,
        window_start=now + dt.timedelta(days=2),
        window_end=now + dt.timedelta(days=9),
        duration_minutes=60,
        now=now,
    )
    picked: list[dt.datetime] = []
    for start in free:
        if not picked or start - picked[-1] >= dt.timedelta(hours=3):
            picked.append(start)
    if len(picked) < RACE_SLOTS:
        raise RuntimeError(f"the measured teacher has only {len(picked)} free hours to race for")
    return picked[:RACE_SLOTS]


def race_students(slots: list[dt.datetime]) -> list[User]:
    """Students free over the whole race window, so a refusal can only be the slot being taken."""
    busy = Booking.objects.filter(
        status__in=BLOCKING_STATUSES,
        starts_at__lt=max(slots) + dt.timedelta(hours=1),
        ends_at__gt=min(slots),
    ).values("student_id")
    candidates = User.objects.filter(email__startswith="student-", email__endswith=dataset.DOMAIN)
    return list(
        candidates.exclude(pk__in=busy)
        .exclude(email__in=[dataset.MEASURED_STUDENT, dataset.BASKET_STUDENT])
        .order_by("email")[:RACE_STUDENTS]
    )


def write_race(race_file: str, slots: list[dt.datetime], students: list[User]) -> list[str]:
    """One line per (student, slot): the Cookie header and the form body, shuffled."""
    lines = []
    for student in students:
        token = get_random_string(32, allowed_chars=CSRF_ALLOWED_CHARS)
        cookie = f"{session_cookie(student)}; {settings.CSRF_COOKIE_NAME}={token}"
        for start in slots:
            body = urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "start": start.isoformat(),
                    "duration": 60,
                    "level": "B1",
                    "purpose": "conversation",
                }
            )
            lines.append(f"{cookie}\t{body}")
    random.Random(9).shuffle(lines)
    with open(race_file, "w") as out:
        out.write("\n".join(lines) + "\n")
    return lines


def count_queries(target: dict, *, race_line: str) -> str:
    """Queries of one request computed afresh (caches emptied first), then of the same request
    again ("fresh/cached"; a page that is never cached shows the same figure twice)."""
    is_post = target.get("method") == "POST"
    counts = []
    for attempt in ("fresh", "again"):
        if attempt == "fresh":
            forget_cached_content()
        elif is_post:
            break  # a second POST would only meet its own booking
        client = Client(HTTP_HOST=HOST)
        # Anonymous pages are counted anonymous; the POST as the first racing student.
        cookie = race_line.split("\t")[0] if is_post else target.get("cookie", "")
        for part in filter(None, cookie.split("; ")):
            name, value = part.split("=", 1)
            client.cookies[name] = value
        with CaptureQueriesContext(connection) as captured:
            if is_post:
                response = client.post(
                    target["path"],
                    data=race_line.split("\t")[1],
                    content_type="application/x-www-form-urlencoded",
                )
            else:
                response = client.get(target["path"])
        expected = 302 if is_post else 200
        if response.status_code != expected:
            raise RuntimeError(f"{target['path']} answered {response.status_code}, not {expected}")
        counts.append(len(captured))
    return "/".join(str(count) for count in counts)


def prepare(scale_key: str, out: str, race_file: str) -> None:
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    phases: dict[str, float] = {}
    reached = dataset.grow(dataset.SCALES[scale_key], phases=phases)
    built = time.perf_counter()
    now = timezone.now()
    teacher = TeacherProfile.objects.select_related("user").get(
        user__email=dataset.MEASURED_TEACHER
    )
    slots = race_slots(teacher, now)
    lines = write_race(race_file, slots, race_students(slots))
    pages = targets()
    queries = {}
    for target in pages:
        queries[target["key"]] = count_queries(target, race_line=lines[0])
    # The query count's own POST won a slot: give it back before the race.
    race_reset(race_file, quiet=True)
    statuses = dict(
        Booking.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    report = {
        "scale": dataset.SCALES[scale_key].label,
        "migrate_seconds": round(migrated - began, 1),
        "build_seconds": round(built - migrated, 1),
        "build_phases": phases,
        "rows": reached,
        "statuses": statuses,
        "overlapping_pairs": dataset.overlapping_pairs(),
        "targets": pages,
        "queries": queries,
        "race": {"slots": [s.isoformat() for s in slots], "requests": len(lines)},
    }
    with open(out, "w") as handle:
        json.dump(report, handle)


def race_reset(race_file: str, *, quiet: bool = False) -> dict:
    """Count what the race left (overlaps must be 0), then delete the holds it won."""
    with open(race_file) as lines:
        starts = {
            dt.datetime.fromisoformat(parse_qs(line.rstrip("\n").split("\t")[1])["start"][0])
            for line in lines
        }
    teacher = TeacherProfile.objects.get(user__email=dataset.MEASURED_TEACHER)
    won = Booking.objects.filter(
        Q(teacher=teacher) & Q(starts_at__in=starts) & Q(status=BookingStatus.HELD)
    )
    result = {"overlapping_pairs": dataset.overlapping_pairs(), "holds_won": won.count()}
    won.delete()
    if not quiet:
        json.dump(result, sys.stdout)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["prepare", "race-reset"])
    parser.add_argument("--scale", default="1x", choices=sorted(dataset.SCALES))
    parser.add_argument("--out")
    parser.add_argument("--race-file", required=True)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.scale, args.out, args.race_file)
    else:
        race_reset(args.race_file)
