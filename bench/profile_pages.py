"""Where each page spends its time, in-process: `python -m bench.profile_pages [page ...]`.

Starts a throwaway PostgreSQL 15 (like the test suite), builds a small dataset with the tests'
factories, then renders each page through django.test.Client with production settings (DEBUG=0)
and prints, per page: the median CPU and wall milliseconds per request over several rounds, the
queries per request, and the top cProfile entries by cumulative time. `--scale 10` multiplies
the student's and the teacher's lessons and orders (pages must not get slower with history).

Not part of `make test` or `make bench`: a tool for finding the time, whose figures are noisy on a
shared machine (hence medians of interleaved rounds).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import time
import warnings

from petittalk.testing.postgres import TemporaryPostgres

PAGES = {
    # name: (path, who is logged in)
    "home": ("/", None),
    "directory": ("/teachers/", None),
    "directory_filtered": ("/teachers/?specialty=grammar&min_price=5&sort=price_low", None),
    "teacher": ("/teachers/bench-teacher/", None),
    "basket": ("/basket/", "student"),
    "student_dashboard": ("/dashboard/student/", "student"),
    "orders": ("/dashboard/orders/", "student"),
    "teacher_dashboard": ("/dashboard/teacher/", "teacher"),
    "staff_home": ("/staff/", "staff"),
    "staff_bookings": ("/staff/bookings/", "staff"),
    "staff_orders": ("/staff/orders/", "staff"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help=f"default: every page ({', '.join(PAGES)})")
    parser.add_argument("--requests", type=int, default=30, help="requests per page per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (the median is reported)")
    parser.add_argument("--scale", type=int, default=1, help="history multiplier (1 or 10)")
    parser.add_argument("--top", type=int, default=15, help="profile lines shown per page")
    args = parser.parse_args()
    unknown = set(args.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown page(s): {', '.join(sorted(unknown))}")
    server = TemporaryPostgres.start()
    try:
        os.environ.update(
            DATABASE_URL=server.url,
            DEBUG="0",
            HTTPS="0",
            STATIC_MANIFEST="0",
            SECRET_KEY=secrets.token_urlsafe(60),
            TASKS_BACKEND="immediate",
            EMAIL_URL="locmem://",
            ALLOWED_HOSTS="*",
            DJANGO_SETTINGS_MODULE="config.settings",
            LOG_LEVEL="WARNING",  # the immediate task backend logs every email it sends
        )
        # Served from the apps' folders here (STATIC_MANIFEST=0): no collected static folder.
        warnings.filterwarnings("ignore", message="No directory at")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        logins = build_dataset(scale=args.scale)
        measure(args.pages or list(PAGES), logins, args)
    finally:
        server.stop()


def build_dataset(*, scale: int) -> dict:
    """12+ published teachers (a full directory page), three featured offers, a student and a
    teacher with `scale` × (30 lessons, 6 orders), and a staff member."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
    from petittalk.bookings.models import BookingStatus
    from petittalk.bookings.tests.factories import BookingFactory
    from petittalk.offers.tests.factories import OfferFactory
    from petittalk.payments.tests.helpers import paid_order
    from petittalk.scheduling.models import AvailabilityRule
    from petittalk.teachers.models import Language
    from petittalk.teachers.tests.factories import TeacherProfileFactory

    languages = list(Language.objects.all()[:3])
    teachers = [
        TeacherProfileFactory(is_featured=n % 3 == 0, price_60=Decimal(20 + n)) for n in range(16)
    ]
    for teacher in teachers:
        teacher.languages.set(languages)
    teacher = TeacherProfileFactory(slug="bench-teacher", is_featured=True)
    AvailabilityRule.objects.bulk_create(
        AvailabilityRule(teacher=teacher, weekday=d, start_minute=s, end_minute=e)
        for d in range(6)
        for s, e in ((8 * 60, 12 * 60), (14 * 60, 19 * 60))
    )
    for n in range(3):
        OfferFactory(
            is_featured=True, code=f"BENCH{n}" if n else "", teachers=[teacher, teachers[n]]
        )
    student = StudentFactory(timezone="Europe/Paris")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    statuses = [
        BookingStatus.COMPLETED,
        BookingStatus.CONFIRMED,
        BookingStatus.CANCELLED,
        BookingStatus.REQUESTED,
    ]
    # Lessons 5 hours apart, from a year ago onwards: history, upcoming ones and the rest.
    for n in range(30 * scale):
        starts_at = now + dt.timedelta(hours=5 * n - 24 * 100)
        status = statuses[n % 4]
        if status in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED):
            status = BookingStatus.COMPLETED if starts_at < now else BookingStatus.CONFIRMED
        BookingFactory(
            student=student,
            teacher=teacher if n % 2 else teachers[n % 16],
            starts_at=starts_at,
            status=status,
            requested_at=now,
        )
    for n in range(6 * scale):
        paid_order(StudentFactory() if n % 2 else student, "22.00", "18.00")
    # Two lessons in the basket.
    from petittalk.payments.tests.helpers import held_lessons

    held_lessons(student, "22.00", "12.00", teacher=teacher)
    return {"student": student, "teacher": teacher.user, "staff": StaffFactory()}


def measure(pages: list[str], logins: dict, args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {None: Client()}
    for role, user in logins.items():
        clients[role] = Client()
        clients[role].force_login(user)

    def get(name: str):
        path, role = PAGES[name]
        response = clients[role].get(path)
        assert response.status_code == 200, (name, response.status_code)
        return response

    for name in pages:  # warm up: templates compiled, URL resolvers filled
        get(name)
    timings: dict[str, list[float]] = {name: [] for name in pages}
    cpu: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(args.rounds):  # interleaved, so a busy moment hits every page alike
        for name in pages:
            began, began_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.requests):
                get(name)
            cpu[name].append((time.process_time() - began_cpu) * 1000 / args.requests)
            timings[name].append((time.perf_counter() - began) * 1000 / args.requests)
    print(f"scale {args.scale}, {args.rounds} rounds × {args.requests} requests per page")
    # CPU ms: this process only (Python's work; PostgreSQL's is its own), the steadier figure
    # on a shared machine, where wall time also counts waiting for a core.
    print(
        f"{'page':<20} {'cpu ms':>7} {'wall ms':>7} {'min':>6} {'max':>6} {'queries':>8} "
        f"{'bytes':>7}"
    )
    for name in pages:
        with CaptureQueriesContext(connection) as captured:
            size = len(get(name).content)
        ms = timings[name]
        print(
            f"{name:<20} {statistics.median(cpu[name]):7.2f} {statistics.median(ms):7.2f} "
            f"{min(ms):6.2f} {max(ms):6.2f} {len(captured):8d} {size:7d}"
        )
    if args.top <= 0:
        return
    for name in pages:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            get(name)
        profiler.disable()
        print(f"\n===== {name}: top {args.top} by cumulative time ({args.requests} requests) =====")
        print(_top_entries(pstats.Stats(profiler), args.top))


# The test client, the handler and every middleware wrap the whole request: they are left out of
# the table so that it starts where the page's own work does.
WRAPPER_SHARE = 0.9


def _top_entries(stats: pstats.Stats, count: int) -> str:
    """Functions by cumulative time, as a share of the request, wrappers left out."""
    entries = sorted(stats.stats.items(), key=lambda item: item[1][3], reverse=True)
    total = entries[0][1][3]
    lines = [f"{'cum %':>6} {'cum ms/req':>10} {'calls/req':>9}  function"]
    shown = 0
    requests = max(1, entries[0][1][0])
    for (filename, line, function), (_, calls, _, cumulative, _) in entries:
        if cumulative >= WRAPPER_SHARE * total:
            continue
        lines.append(
            f"{100 * cumulative / total:5.1f}% {1000 * cumulative / requests:10.2f} "
            f"{calls / requests:9.1f}  {_short(filename)}:{line}({function})"
        )
        shown += 1
        if shown == count:
            break
    return "\n".join(lines)


def _short(filename: str) -> str:
    for marker in ("site-packages/", os.getcwd() + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


if __name__ == "__main__":
    main()
