"""A throwaway redis-server for the benchmarks: temporary folder, free 127.0.0.1 port, no disk."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from petittalk.testing.postgres import free_port


@dataclass
class TemporaryRedis:
    process: subprocess.Popen
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @classmethod
    def start(cls) -> TemporaryRedis:
        binary = shutil.which("redis-server")
        if not binary:
            raise RuntimeError("redis-server is missing: `make bench` installs it.")
        folder = Path(tempfile.mkdtemp(prefix="petittalk-redis-"))
        port = free_port()
        process = subprocess.Popen(
            [
                *(binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=(folder / "log").open("w"),
            stderr=subprocess.STDOUT,
        )
        server = cls(process=process, folder=folder, port=port)
        deadline = time.monotonic() + 10
        while not server.ping():
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"redis-server did not start: {(folder / 'log').read_text()}")
            time.sleep(0.05)
        return server

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
