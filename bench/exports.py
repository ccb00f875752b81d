"""The export cases of `make bench`: every event of a database as NDJSON and as CSV, read
from another process as a client would, with the rate and the server's peak memory."""

from __future__ import annotations

import csv
import io
import os
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.server import serve_process

#: The exports measured, and how a client counts the events in each.
EXPORTS = {"NDJSON": "/api/v1/events.ndjson", "CSV": "/api/v1/events.csv"}
#: Chunks the client reads: small, so that the client holds nothing either.
CHUNK = 64 * 1024


@dataclass
class ExportResult:
    case: str
    events: int
    seconds: float
    bytes: int
    idle_rss_mb: float
    peak_rss_mb: float
    cpu_seconds: float

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    @property
    def events_per_cpu_second(self) -> float:
        """What one core of the server streams when it has the core to itself: on a shared
        machine the wall-clock rate says more about the neighbours."""
        return self.events / self.cpu_seconds if self.cpu_seconds else 0.0


def _cpu_seconds(pid: int) -> float:
    """User and system time the process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int, field: str) -> float:
    """VmRSS (now) or VmHWM (the peak so far) of a process, in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _count_ndjson(response: io.BufferedIOBase) -> tuple[int, int]:
    events = size = 0
    while chunk := response.read(CHUNK):
        events += chunk.count(b"\n")
        size += len(chunk)
    return events, size


def _count_csv(response: io.BufferedIOBase) -> tuple[int, int]:
    counted = _Counted(response)
    text = io.TextIOWrapper(io.BufferedReader(counted, CHUNK), encoding="utf-8-sig", newline="")
    events = sum(1 for _ in csv.reader(text)) - 1  # the header row
    return events, counted.size


class _Counted(io.RawIOBase):
    """A stream that counts the bytes read through it."""

    def __init__(self, inner: io.BufferedIOBase) -> None:
        self.inner = inner
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        self.size += len(data)
        return len(data)


def measure_exports(url: str) -> list[ExportResult]:
    """Each export of every event, on a fresh server (answer cache off: exports skip it)."""
    env = {
        "PARLEY_DATABASE_URL": url,
        "PARLEY_SECRET_KEY": "bench-not-a-secret",
        "PARLEY_RESPONSE_CACHE_MB": "0",
    }
    results = []
    for name, path in EXPORTS.items():
        with serve_process("app.main:create_app", env) as (port, process):
            idle = rss_mb(process.pid, "VmRSS")
            cpu = _cpu_seconds(process.pid)
            started = time.perf_counter()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=600) as answer:
                events, size = (_count_ndjson if name == "NDJSON" else _count_csv)(answer)
            seconds = time.perf_counter() - started
            peak = rss_mb(process.pid, "VmHWM")
            cpu = _cpu_seconds(process.pid) - cpu
        results.append(ExportResult(name, events, seconds, size, idle, peak, cpu))
    return results


def summary(result: ExportResult) -> str:
    return (
        f"{result.events:,} events in {result.seconds:.1f} s: "
        f"{result.events_per_second:,.0f} events/s "
        f"({result.events_per_cpu_second:,.0f} per server CPU second), "
        f"{result.bytes / 1e6:,.0f} MB; "
        f"server memory {result.idle_rss_mb:.0f} MiB idle, {result.peak_rss_mb:.0f} MiB peak"
    )
