"""The booking race, longer and wider than the test suite's, on PostgreSQL and on SQLite.

Runs petittalk/testing/race.py (many processes booking overlapping slots at the same instant) with
more workers and rounds than petittalk/bookings/tests/test_race.py, and prints its figures: time,
attempts per second, winners, errors and overlapping bookings. Starts its own throwaway
PostgreSQL 15 and a temporary SQLite file. Run by `make bench` (python -m bench), or alone:

    python -m bench.bench_race [--workers 32] [--rounds 25]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from petittalk.testing.postgres import TemporaryPostgres

ROOT = Path(__file__).resolve().parent.parent
# 25 rounds (was 100): the whole `make bench` must fit in 15 minutes on 2 cores beside the pages.
WORKERS, ROUNDS = 32, 25


def run_race(database_url: str, *, workers: int, rounds: int) -> dict:
    began = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "petittalk.testing.race",
            "--database-url",
            database_url,
            "--workers",
            str(workers),
            "--rounds",
            str(rounds),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    seconds = time.perf_counter() - began
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    summary = json.loads(result.stdout)
    summary["seconds"] = round(seconds, 1)
    return summary


def report(summary: dict) -> None:
    print(f"  {summary['vendor']}: {summary['workers']} workers x {summary['rounds']} rounds")
    print(f"{'seconds (with set-up)':>40}: {summary['seconds']}")
    print(f"{'attempts per second':>40}: {round(summary['attempts'] / summary['seconds'])}")
    for kind in ("teacher", "student"):
        for name, value in summary[kind].items():
            print(f"{kind + ' ' + name:>40}: {value}")
    print(f"{'overlapping_pairs':>40}: {summary['overlapping_pairs']}")
    if summary["first_errors"]:
        print(f"{'first_errors':>40}: {summary['first_errors']}")


def main(workers: int = WORKERS, rounds: int = ROUNDS) -> list[dict]:
    summaries = []
    server = TemporaryPostgres.start()
    try:
        summaries.append(run_race(server.url, workers=workers, rounds=rounds))
    finally:
        server.stop()
    with tempfile.TemporaryDirectory(prefix="petittalk-race-") as folder:
        url = f"sqlite:///{Path(folder) / 'race.sqlite3'}"
        summaries.append(run_race(url, workers=workers, rounds=rounds))
    for summary in summaries:
        report(summary)
    return summaries


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    main(workers=args.workers, rounds=args.rounds)
