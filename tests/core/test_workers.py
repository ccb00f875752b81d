"""`kill -9` of `parley serve --workers 2` leaves no worker serving, and a restart gets the
port: a real server in a subprocess, on a free port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.servers import free_port

PARLEY = str(Path(sys.executable).with_name("parley"))


def _serve(tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PARLEY_DATABASE_URL": f"sqlite:///{tmp_path / 'parley.db'}",
        "PARLEY_SECRET_KEY": "k" * 32,
    }
    return subprocess.Popen(
        [PARLEY, "serve", "--no-seed", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _until(what: object, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not what():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_end_with_their_parent_and_the_port_is_free_again(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    parent = _serve(tmp_path, port)
    try:
        _until(lambda: _answers(url))
        _until(lambda: len(_children(parent.pid)) >= 2)
        workers = _children(parent.pid)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        _until(lambda: not any(_alive(pid) for pid in workers), seconds=20)
        assert not _answers(url)
    finally:
        if parent.poll() is None:
            parent.kill()
    again = _serve(tmp_path, port)
    try:
        _until(lambda: _answers(url))
    finally:
        again.send_signal(signal.SIGTERM)
        again.wait(timeout=30)
