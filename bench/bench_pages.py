"""Pages under load, against the ceiling: gunicorn (production settings, 2 sync workers) on
127.0.0.1, measured with wrk, every page beside a bare Django view served by the same settings and
middleware (bench/settings.py adds it; production code never has it).

Configuration 1, PostgreSQL + Redis (DATABASE_CONN_MAX_AGE=60): the 1× data, then the same database
grown to 10×. Configuration 2, the SQLite default (no Redis: the database cache), at 1×, for a few
pages. Targets are interleaved round by round; each figure is the median of the rounds. One
markdown table per configuration is printed and written to bench/results/pages-latest.md.
Run by `make bench` (python -m bench), or alone:

    python -m bench.bench_pages [--rounds 3] [--duration 4] [--scale-only 1x] [--no-sqlite]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from petittalk.testing.postgres import TemporaryPostgres, free_port
from petittalk.testing.redis import TemporaryRedis

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "pages-latest.md"
RACE_SCRIPT = ROOT / "bench" / "book_race.lua"
GUNICORN = Path(sys.executable).parent / "gunicorn"
ROUNDS, DURATION = 3, 4
WORKERS, CONNECTIONS, THREADS = 2, 16, 2
SQLITE_TARGETS = ("ceiling", "home", "directory", "teacher_page", "student_dashboard")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """One wrk run of one target."""

    rps: float
    p50: float
    p99: float
    requests: int
    cpu_ms: float
    bad: int
    statuses: dict[int, int] = field(default_factory=dict)


@dataclass
class Row:
    target: dict
    scale: str
    queries: str  # fresh/cached (pages_setup.count_queries)
    runs: list[Run] = field(default_factory=list)
    rss_mb: float = 0.0

    def median(self, name: str) -> float:
        return statistics.median(getattr(run, name) for run in self.runs)


# --- processes -------------------------------------------------------------------------------


def server_env(database_url: str, redis_url: str | None, folder: Path) -> dict[str, str]:
    """Production settings (DEBUG off, manifest static files) on plain HTTP at 127.0.0.1."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "DATABASE_CONN_MAX_AGE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        STATIC_MANIFEST="1",
        HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY=secrets.token_urlsafe(64),
        TASKS_BACKEND="database",
        EMAIL_URL="locmem://",
        BENCH_STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        PYTHONPATH=str(ROOT),
    )
    if redis_url:
        env.update(REDIS_URL=redis_url, DATABASE_CONN_MAX_AGE="60")
    return env


def django_command(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return result.stdout


class Gunicorn:
    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.port = free_port()
        self.log = folder / "gunicorn.log"
        # Django logs every 409 of the booking race: to the log file, not the terminal.
        self.output = self.log.open("a")
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "config.wsgi:application",
                *("--workers", str(WORKERS), "--worker-class", "sync"),
                *("--bind", f"127.0.0.1:{self.port}", "--timeout", "120"),
                *("--error-logfile", str(self.log)),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(self.port, "/bench/bare/")[0] == 200 and len(self.workers()) == WORKERS:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    def workers(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]

    def cpu_seconds(self) -> float:
        """utime + stime of the master and its workers (wrk is not counted)."""
        total = 0
        for pid in (self.process.pid, *self.workers()):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / TICKS

    def settle(self) -> float:
        """Wait until the workers are idle (the requests still queued when wrk stopped are
        served), so no run's work spills into the next one's; returns the CPU seconds then."""
        last = self.cpu_seconds()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = self.cpu_seconds()
            if now == last:
                break
            last = now
        return last

    def peak_rss_mb(self) -> float:
        """The largest worker's VmHWM: its peak resident memory."""
        peaks = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
        return max(peaks)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.output.close()


def get(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- wrk --------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def wrk(server: Gunicorn, target: dict, duration: int, race_file: Path) -> Run:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency"]
    command += ["--timeout", "10s"]
    if target.get("cookie"):
        command += ["-H", f"Cookie: {target['cookie']}"]
    env = dict(os.environ)
    if target.get("method") == "POST":
        command += ["-s", str(RACE_SCRIPT)]
        env["BENCH_RACE_FILE"] = str(race_file)
    command.append(f"http://127.0.0.1:{server.port}{target['path']}")
    before = server.cpu_seconds()
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    cpu = server.settle() - before
    out = result.stdout
    if result.returncode != 0 or "Latency Distribution" not in out:
        raise RuntimeError(f"wrk failed on {target['path']}:\n{out}\n{result.stderr}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    latency = dict(re.findall(r"^ +(50|99)% +(\S+) *$", out, re.MULTILINE))
    if len(latency) != 2:
        raise RuntimeError(f"no latency distribution from wrk on {target['path']}:\n{out}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Run(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50=milliseconds(latency["50"]),
        p99=milliseconds(latency["99"]),
        requests=requests,
        # When wrk stops, each of its connections has one request in flight, which the workers
        # still serve (settle() waited for them): their CPU is in `cpu`, so they are counted too.
        cpu_ms=1000 * cpu / (requests + CONNECTIONS),
        bad=(int(bad.group(1)) if bad else 0) + (int(errors.group(4)) if errors else 0),
        statuses={int(s): int(n) for s, n in re.findall(r"^status (\d+) (\d+)$", out, re.M)},
    )


# --- one configuration -------------------------------------------------------------------------


def measure_scale(
    env: dict[str, str],
    folder: Path,
    scale: str,
    *,
    only: tuple[str, ...] | None,
    rounds: int,
    duration: int,
    notes: list[str],
) -> list[Row]:
    prep_file, race_file = folder / f"prep-{scale}.json", folder / "race.tsv"
    began = time.perf_counter()
    django_command(
        env, "-m", "bench.pages_setup", "prepare", "--scale", scale,
        "--out", str(prep_file), "--race-file", str(race_file),
    )  # fmt: skip
    prep = json.loads(prep_file.read_text())
    notes.append(
        f"{prep['scale']} data: {prep['rows']}; statuses {prep['statuses']}; built in "
        f"{prep['build_seconds']} s (migrate {prep['migrate_seconds']} s, steps "
        f"{prep['build_phases']}), prepared in {time.perf_counter() - began:.1f} s; "
        f"overlapping bookings after the build: {prep['overlapping_pairs']}"
    )
    targets = [t for t in prep["targets"] if only is None or t["key"] in only]
    rows = [Row(t, prep["scale"], prep["queries"][t["key"]]) for t in targets]
    server = Gunicorn(env, folder)
    try:
        warm_up(server, rows)
        for number in range(rounds):
            shift = number % len(rows)
            for row in rows[shift:] + rows[:shift]:
                row.runs.append(wrk(server, row.target, duration, race_file))
                if row.target.get("method") == "POST":
                    row.runs[-1].statuses["holds_won"] = race_reset(env, race_file)
            engine = env["DATABASE_URL"].split(":")[0]
            print(f"  {engine} {prep['scale']}: round {number + 1} done", flush=True)
        peak = server.peak_rss_mb()
        for row in rows:
            row.rss_mb = peak
    finally:
        server.stop()
    for row in rows:
        if row.target.get("method") == "POST":
            totals: dict = {}
            for run in row.runs:
                for status, count in run.statuses.items():
                    totals[status] = totals.get(status, 0) + count
            notes.append(
                f"{prep['scale']} booking POST over {rounds} rounds, {prep['race']['requests']} "
                f"(student, slot) pairs on {len(prep['race']['slots'])} free slots: answers "
                f"{ {k: v for k, v in totals.items() if k != 'holds_won'} } (302 = held, 409 = "
                f"taken), holds won {totals.get('holds_won', 0)}; overlapping bookings by SQL "
                "after each round: 0"
            )
    return rows


def warm_up(server: Gunicorn, rows: list[Row]) -> None:
    """Load both workers (imports, templates) and check that every page answers 200."""
    for row in rows:
        if row.target.get("method") == "POST":
            continue
        for _ in range(2 * WORKERS):
            status, _body = get(server.port, row.target["path"], row.target.get("cookie", ""))
            if status != 200:
                raise RuntimeError(f"{row.target['path']} answered {status}")


def race_reset(env: dict[str, str], race_file: Path) -> int:
    """After a booking POST run: no overlapping bookings (by SQL), and the holds won go back."""
    command = ("-m", "bench.pages_setup", "race-reset", "--race-file", str(race_file))
    after = json.loads(django_command(env, *command))
    if after["overlapping_pairs"]:
        raise RuntimeError(f"double booking after the booking race: {after}")
    return after["holds_won"]


def table(rows: list[Row]) -> str:
    ceilings = {r.scale: r.median("rps") for r in rows if r.target["key"] == "ceiling"}
    lines = [
        "| page | data | req/s | % of ceiling | p50 ms | p99 ms | CPU ms/req "
        "| queries fresh/cached | non-2xx | peak RSS/worker MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    order = list(dict.fromkeys(r.target["key"] for r in rows))
    for key in order:
        for row in (r for r in rows if r.target["key"] == key):
            rps = row.median("rps")
            lines.append(
                f"| {row.target['name']} | {row.scale} | {rps:,.0f} "
                f"| {100 * rps / ceilings[row.scale]:.1f} % | {row.median('p50'):.1f} "
                f"| {row.median('p99'):.1f} | {row.median('cpu_ms'):.2f} | {row.queries} "
                f"| {sum(run.bad for run in row.runs)} | {row.rss_mb:.0f} |"
            )
    return "\n".join(lines)


# --- the whole run ---------------------------------------------------------------------------


def check_tools() -> None:
    missing = [tool for tool in ("wrk", "redis-server") if not shutil.which(tool)]
    if missing:
        raise RuntimeError(f"missing {', '.join(missing)}: `make bench` installs them")


def machine() -> str:
    model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    load = os.getloadavg()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · {os.cpu_count()} cores "
        f"({model.group(1) if model else platform.machine()}) · load average at start "
        f"{load[0]:.1f} · git {commit}{' (uncommitted changes)' if dirty else ''}"
    )


def main(
    rounds: int = ROUNDS, duration: int = DURATION, scales=("1x", "10x"), sqlite: bool = True
) -> str:
    check_tools()
    began = time.perf_counter()
    header = machine()
    sections = []
    with tempfile.TemporaryDirectory(prefix="petittalk-bench-") as tmp:
        folder = Path(tmp)
        postgres, redis = TemporaryPostgres.start(), TemporaryRedis.start()
        try:
            env = server_env(postgres.url, redis.url, folder)
            django_command(env, "manage.py", "collectstatic", "--noinput", "-v0")
            notes: list[str] = []
            rows = []
            for scale in scales:
                rows += measure_scale(
                    env, folder, scale, only=None, rounds=rounds, duration=duration, notes=notes
                )
            sections.append(
                ("PostgreSQL 15 + Redis (REDIS_URL, DATABASE_CONN_MAX_AGE=60)", rows, notes)
            )
        finally:
            postgres.stop()
            redis.stop()
        if sqlite:
            env = server_env(f"sqlite:///{folder / 'bench.sqlite3'}", None, folder)
            notes = []
            rows = measure_scale(
                env, folder, "1x", only=SQLITE_TARGETS, rounds=rounds, duration=duration,
                notes=notes,
            )  # fmt: skip
            sections.append(("SQLite default (no Redis: database cache), 1× data", rows, notes))
    wall = time.perf_counter() - began
    report = [
        "# Pages under load",
        "",
        f"{header} · gunicorn {WORKERS} sync workers, production settings · "
        f"`wrk -t{THREADS} -c{CONNECTIONS} -d{duration}s`, {rounds} rounds interleaved, "
        f"medians · wall time {wall / 60:.1f} min",
    ]
    for title, rows, notes in sections:
        report += ["", f"## {title}", "", table(rows), ""]
        report += [f"- {note}" for note in notes]
    text = "\n".join(report) + "\n"
    print(text)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text)
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--duration", type=int, default=DURATION, help="seconds per wrk run")
    parser.add_argument("--scale-only", choices=["1x", "10x"], help="measure one data size")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite table")
    args = parser.parse_args()
    main(
        rounds=args.rounds,
        duration=args.duration,
        scales=(args.scale_only,) if args.scale_only else ("1x", "10x"),
        sqlite=not args.no_sqlite,
    )
