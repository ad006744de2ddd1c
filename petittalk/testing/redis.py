"""A throwaway Redis for the tests: Debian's redis-server on a free 127.0.0.1 port, nothing on disk.

Started lazily by the session-scoped `redis_url` fixture (petittalk/testing/pytest_plugin.py), so
only a run with a test that asks for it pays the ~50 ms start.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from petittalk.testing.postgres import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@dataclass
class TemporaryRedis:
    process: subprocess.Popen
    work_dir: Path
    port: int

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @classmethod
    def start(cls, timeout: float = 10) -> TemporaryRedis:
        if not Path(REDIS_SERVER).exists():
            raise RuntimeError("redis-server is missing: `make test` and `make bench` install it.")
        work_dir = Path(tempfile.mkdtemp(prefix="petittalk-redis-"))
        port = free_port()
        # No snapshots, no append-only file: the tests' data dies with the process.
        command = [
            REDIS_SERVER,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(work_dir),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--logfile",
            str(work_dir / "log"),
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        server = cls(process=process, work_dir=work_dir, port=port)
        deadline = time.monotonic() + timeout
        while not server.answers():
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"redis-server did not start on port {port}")
            time.sleep(0.02)
        return server

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        try:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            if self.process.stderr:
                self.process.stderr.close()
        finally:
            shutil.rmtree(self.work_dir, ignore_errors=True)
