"""Serve an app with uvicorn in a subprocess on a free loopback port, as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from app.core.settings import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(
    app: str,
    env: dict[str, str],
    *,
    health: str = "/healthz",
    timeout: float = 60,
    workers: int = 1,
) -> Iterator[int]:
    """Run `uvicorn APP --factory` until the block ends; yields the port once `health`
    answers."""
    with serve_process(app, env, health=health, timeout=timeout, workers=workers) as (port, _):
        yield port


@contextmanager
def serve_process(
    app: str,
    env: dict[str, str],
    *,
    health: str = "/healthz",
    timeout: float = 60,
    workers: int = 1,
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """`serve`, also yielding the server's process (whose memory a case may read)."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", app, "--factory",
        "--host", "127.0.0.1", "--port", str(port),
        # Logging each request to a pipe nobody reads would measure the pipe.
        "--log-level", "warning", "--no-access-log",
        *(["--workers", str(workers)] if workers > 1 else []),
    ]  # fmt: skip
    with running(command, env, port, health, timeout=timeout) as process:
        yield port, process


@contextmanager
def running(
    command: list[str], env: dict[str, str], port: int, health: str, *, timeout: float = 60
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `command` until the block ends, from the moment `health` on `port` answers 200;
    yields its process."""
    app = command[2] if len(command) > 2 else command[0]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{app} exited with status {process.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{health}", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{app} did not answer {health} within {timeout:.0f} s")
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
