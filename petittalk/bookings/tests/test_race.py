"""No double booking, ever: processes race for overlapping slots, round after round, on both DBs.

Each round releases a teacher race (students after one teacher's overlapping slots) and a student
race (one student, two teachers) at the same instant. Few processes and many rounds: every round is
a fresh chance for two winners, and the suite stays fast. `python -m bench.bench_race` (part of
`make bench`) runs a wider, longer race (32 + 32 processes x 100 rounds), so here 200 rounds on each
database are enough: 400 made the PostgreSQL race the slowest test of the suite (~40 s on 2 cores).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
ROUNDS, WORKERS = 200, 2  # workers in each of the two races
MIN_ATTEMPTS_PER_DATABASE = 800


def run_race(database_url: str) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "petittalk.testing.race",
            "--database-url",
            database_url,
            "--rounds",
            str(ROUNDS),
            "--workers",
            str(WORKERS),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)
    print(f"\nrace on {summary['vendor']}: {json.dumps(summary)}")
    return summary


def assert_one_winner_per_round_and_no_error(summary: dict) -> None:
    assert summary["attempts"] >= MIN_ATTEMPTS_PER_DATABASE
    for kind in ("teacher", "student"):
        figures = summary[kind]
        assert figures["attempts"] == ROUNDS * WORKERS
        assert figures["errors"] == 0, summary["first_errors"]
        assert figures["refused"] == 0, summary["first_errors"]
        assert figures["rounds_with_one_winner"] == ROUNDS
        assert figures["winners"] == ROUNDS
        assert figures["taken"] == ROUNDS * (WORKERS - 1)
    assert summary["overlapping_pairs"] == 0


@pytest.mark.django_db(transaction=True)
def test_race_on_postgresql_has_exactly_one_winner_per_round():
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    assert_one_winner_per_round_and_no_error(run_race(url))


def test_race_on_sqlite_has_exactly_one_winner_per_round(tmp_path):
    assert_one_winner_per_round_and_no_error(run_race(f"sqlite:///{tmp_path / 'race.sqlite3'}"))
