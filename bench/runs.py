"""Measuring one case: the load driver in its own process, and what it measured."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from bench.prepare import Case


@dataclass
class Result:
    case: str
    requests: int
    failed: int
    median_ms: float
    p99_ms: float
    rps: float
    bytes_per_response: int
    errors: list[str] = field(default_factory=list)
    note: str = ""
    #: The server's peak resident memory over the case (VmHWM), in MiB.
    peak_mb: float = 0.0


def median_of(results: list[Result]) -> Result:
    """One case's result over the rounds: the medians, the highest peak of memory."""
    first = results[0]
    return Result(
        case=first.case,
        requests=sum(r.requests for r in results),
        failed=sum(r.failed for r in results),
        median_ms=statistics.median(r.median_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        rps=statistics.median(r.rps for r in results),
        bytes_per_response=first.bytes_per_response,
        errors=[error for r in results for error in r.errors],
        peak_mb=max(r.peak_mb for r in results),
    )


def load(port: int, paths: list[str], requests: int, concurrency: int) -> dict[str, Any]:
    """Run the load driver in its own process (so its CPU is not the server's GIL)."""
    command = [sys.executable, "-m", "bench.load", str(port), str(requests), str(concurrency)]
    done = subprocess.run(
        [*command, *paths], capture_output=True, text=True, check=True, timeout=600
    )
    return dict(json.loads(done.stdout))


def measure(
    port: int, case: Case, *, requests: int, concurrency: int, warmup: int, note: str = ""
) -> Result:
    load(port, case.paths, warmup, concurrency)
    raw = load(port, case.paths, requests, concurrency)
    latencies = sorted(raw["latencies"])
    if not latencies:
        raise RuntimeError(f"{case.name}: no request succeeded: {raw['errors']}")
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Result(
        case=case.name,
        requests=len(latencies),
        failed=raw["failed"],
        median_ms=statistics.median(latencies) * 1000,
        p99_ms=p99 * 1000,
        rps=len(latencies) / raw["elapsed"],
        bytes_per_response=raw["bytes"] // max(1, len(latencies)),
        errors=raw["errors"],
        note=note,
    )


def fetch(port: int, path: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
