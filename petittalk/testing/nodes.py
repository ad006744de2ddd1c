"""Real processes of the site for scale-out tests: gunicorn web nodes and db_worker processes.

Each runs with production settings (DEBUG=0, persistent database connections) on the database the
test suite created, read from the test's own connection so the child processes see the rows the
test commits.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import requests

from petittalk.testing.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
# The test suite's own knobs that a production process would not have.
NOT_IN_PRODUCTION = ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_CONN_MAX_AGE", "REDIS_URL")


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database behind `connection.settings_dict` (the test database)."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host, port, name = settings_dict["HOST"], settings_dict["PORT"], settings_dict["NAME"]
    return f"postgres://{credentials}{host}:{port}/{name}"


def production_env(**overrides: str) -> dict[str, str]:
    """This process's environment (same SECRET_KEY, MEDIA_ROOT) as a production process sees it."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0", HTTPS="0")
    env.update(overrides)
    return env


@dataclass
class WebNode:
    """One gunicorn master and its sync workers on a free 127.0.0.1 port."""

    process: subprocess.Popen
    url: str
    log: Path

    @classmethod
    def start(cls, *, env: dict[str, str], workers: int = 2) -> WebNode:
        port = free_port()
        log = Path(tempfile.mkstemp(prefix="petittalk-gunicorn-", suffix=".log")[1])
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    str(GUNICORN),
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--worker-class",
                    "sync",
                    "--timeout",
                    "60",
                    # Django is imported once, in the master, and forked: a node starts in about
                    # the time of one import instead of one per worker.
                    "--preload",
                    # gunicorn 27 listens on ~/.gunicorn/gunicorn.ctl by default: several nodes
                    # (and other test runs) would fight over that one path.
                    "--no-control-socket",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return cls(process=process, url=f"http://127.0.0.1:{port}", log=log)

    def wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log_text()
                self.stop()
                raise RuntimeError(f"gunicorn on {self.url} did not start:\n{log}")
            time.sleep(0.1)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        stop_web_nodes([self])


def start_web_nodes(envs: list[dict[str, str]], *, workers: int = 2) -> list[WebNode]:
    """One node per environment, started side by side (their imports overlap), then waited for."""
    nodes = [WebNode.start(env=env, workers=workers) for env in envs]
    try:
        for node in nodes:
            node.wait_until_ready()
    except Exception:
        stop_web_nodes(nodes)
        raise
    return nodes


def stop_web_nodes(nodes: list[WebNode], *, grace: float = 1) -> None:
    """SIGINT (gunicorn's quick shutdown) to every node at once, then SIGKILL what is left.

    The tests have no request in flight by then. The grace is short because a worker's exit is
    Python tearing down its whole heap, which took seconds per node on a loaded 2-core machine.
    """
    running = [node for node in nodes if node.process.poll() is None]
    for node in running:
        node.process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + grace
    for node in running:
        try:
            node.process.wait(timeout=max(deadline - time.monotonic(), 0.01))
        except subprocess.TimeoutExpired:
            # The master and its workers share the session the node was started in.
            os.killpg(node.process.pid, signal.SIGKILL)
            node.process.wait()
    for node in nodes:
        node.log.unlink(missing_ok=True)


def start_db_worker(*, env: dict[str, str], worker_id: str, log: Path) -> subprocess.Popen:
    """`manage.py db_worker` that drains the queue and exits (--batch)."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
                "--worker-id",
                worker_id,
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
