"""`manage.py run_periodic_jobs`: the clock of the booking lifecycle.

Expires lapsed holds and unanswered requests, completes finished lessons and queues due
reminders. `make demo` runs it beside the web server; in production run it as one extra
process (or `--once` from cron every minute). Running two at once is safe: every transition
re-checks the booking under a row lock and reminders are recorded in a sent-log.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from petittalk.bookings.services import scheduling_tick


class Command(BaseCommand):
    help = "Run the time-driven booking jobs every --interval seconds (or once with --once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one round and exit.")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between rounds.")

    def handle(self, *args, once: bool, interval: int, **options) -> None:
        while True:
            done = scheduling_tick()
            if any(done.values()) or once:
                self.stdout.write(", ".join(f"{name}: {n}" for name, n in done.items()))
            if once:
                return
            time.sleep(max(interval, 1))
