"""Writes, and reads while they happen: events created through the API as fast as one and
as eight clients can, in turn, and the cached first page read alone and beside one writer
going flat out, in turn.

On a database of its own (`writes-10000`), made again every run, so that the events written
never change what the read cases measure.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import statistics
import threading
import time
from dataclasses import dataclass

from sqlalchemy.engine import make_url

from app.core.database import Database
from app.users import service as users
from bench.prepare import BENCH_DIR, Case, ensure
from bench.runs import Result, measure, median_of
from bench.server import serve

SIZE = 10_000
#: Seconds each write rate is measured over, in each round.
WRITE_SECONDS = 4.0
#: The write rates with 1 and with 8 clients are taken in turn this many times: each round's
#: two rates are a few seconds apart, and their ratio is the round's. The medians reported.
WRITE_ROUNDS = 5
#: The cached reads alone and beside a writer are taken in turn this many times, the medians
#: reported...
ROUNDS = 3
#: ...each run this many times the read cases' requests.
READ_RUN = 10


#: The number of each event written, across every round: an event written again with the
#: same title and date would take the next free slug, one more lookup for each time before.
_NUMBERS = itertools.count()


@dataclass
class WriteResult:
    clients: int
    events: int
    seconds: float
    failed: int

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def median_rate(results: list[WriteResult]) -> WriteResult:
    """One number of clients over the rounds: the round of the median rate."""
    return sorted(results, key=lambda result: result.rate)[len(results) // 2]


@dataclass
class WriteRates:
    """The write rounds: each round's rate with 1 and with 8 clients, taken in turn."""

    rounds: list[tuple[WriteResult, WriteResult]]
    #: The share of the machine's time its hypervisor gave to others while they ran (Linux's
    #: "steal"), or None where it cannot be read.
    stolen: float | None

    @property
    def medians(self) -> list[WriteResult]:
        return [median_rate(list(results)) for results in zip(*self.rounds, strict=True)]

    @property
    def ratios(self) -> list[float]:
        return [eight.rate / (one.rate or 1.0) for one, eight in self.rounds]

    @property
    def ratio(self) -> float:
        """The median of the rounds' ratios: the machine's speed drifts between rounds more
        than within one (on a shared machine, by a third within minutes), and a round's two
        rates share its drift."""
        return statistics.median(self.ratios)


def _cpu_times() -> tuple[int, int] | None:
    """The machine's CPU time so far, all of it and the part taken by its hypervisor for
    others (Linux's /proc/stat, in ticks)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return (sum(fields[:8]), fields[7]) if len(fields) >= 8 else None


def writes_url(base_url: str | None) -> str:
    if base_url is None:
        return f"sqlite:///{BENCH_DIR / f'writes-{SIZE}.db'}"
    return make_url(base_url).set(database=f"parley_bench_writes_{SIZE}").render_as_string(False)


def _token(url: str) -> str:
    database = Database(url)
    try:
        with database.session(write=True) as session:
            return users.create_token(session, name=f"bench {time.time_ns()}")
    finally:
        database.dispose()


class Writers:
    """`clients` threads creating events through the API until stopped."""

    def __init__(self, port: int, token: str, clients: int) -> None:
        self.port, self.token, self.clients = port, token, clients
        self.done = 0
        self.failed = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._write) for _ in range(clients)]

    def _write(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        while not self.stop.is_set():
            number = next(_NUMBERS)
            body = {
                "title": f"Benchmark statement {number}",
                "kind": "statement",
                "status": "held",
                "start_date": f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}",
                "summary": "Written by the benchmark's writers.",
                "participants": [{"actor": "russia", "role": "party"}],
                "sources": [{"url": f"https://example.org/bench/{number}", "publisher": "Bench"}],
            }
            try:
                connection.request("POST", "/api/v1/events", json.dumps(body), headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 201
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                ok = False
            with self.lock:
                if ok:
                    self.done += 1
                else:
                    self.failed += 1
        connection.close()

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def _write_rate(port: int, token: str, clients: int) -> WriteResult:
    with Writers(port, token, clients) as writers:
        time.sleep(1.0)  # warm-up: connections made, first writes done
        done, failed, started = writers.done, writers.failed, time.perf_counter()
        time.sleep(WRITE_SECONDS)
        events, lost = writers.done - done, writers.failed - failed
        seconds = time.perf_counter() - started
    return WriteResult(clients, events, seconds, lost)


def measure_writes(
    base_url: str | None, *, requests: int, concurrency: int, warmup: int
) -> tuple[WriteRates, Result, Result]:
    """Write rates with 1 and 8 clients; the cached first page alone and beside a writer."""
    url = writes_url(base_url)
    ensure(url, SIZE, regenerate=True)
    token = _token(url)
    env = {"PARLEY_DATABASE_URL": url, "PARLEY_SECRET_KEY": "bench-not-a-secret"}
    first = Case("first page, cached", ["/api/v1/events?limit=50"])
    # SQLite takes one writer at a time, whatever serves it: one process. PostgreSQL takes
    # many, and is served as it is run in production, a process per core.
    workers = 1 if make_url(url).get_backend_name() == "sqlite" else (os.cpu_count() or 1)
    # Each read run lasts a few seconds, so that many writes fall inside it (a cached page
    # answers in a fraction of a millisecond: `requests` alone would be over within a few
    # writes); alone and beside a writer in turn, ROUNDS times, the medians reported.
    reads = max(requests * READ_RUN, 5000)
    alone_runs, beside_runs = [], []
    with serve("app.main:create_app", env, workers=workers) as port:
        # In turn, so that the machine's other work and the database's growth fall on both.
        before = _cpu_times()
        rounds = [
            (_write_rate(port, token, 1), _write_rate(port, token, 8)) for _ in range(WRITE_ROUNDS)
        ]
        after = _cpu_times()
        stolen = None
        if before and after and after[0] > before[0]:
            stolen = (after[1] - before[1]) / (after[0] - before[0])
        rates = WriteRates(rounds, stolen)
        for _ in range(ROUNDS):
            alone_runs.append(
                measure(port, first, requests=reads, concurrency=concurrency, warmup=warmup)
            )
            with Writers(port, token, 1):
                time.sleep(0.5)
                beside_runs.append(
                    measure(port, first, requests=reads, concurrency=concurrency, warmup=warmup)
                )
    return rates, median_of(alone_runs), median_of(beside_runs)


def report(backend: str, rates: WriteRates, alone: Result, beside: Result) -> str:
    rows = [
        f"## {backend}, {SIZE // 1000}k events: writes through the API, and cached reads "
        "beside one writer going flat out"
        + ("" if backend == "SQLite" else f" ({os.cpu_count()} worker processes)"),
        "",
        f"The writes: {WRITE_ROUNDS} rounds of {WRITE_SECONDS:.0f} s with 1 client, then 8; "
        "each rate the median over the rounds, and their ratio the median of the rounds' "
        f"ratios ({', '.join(f'{ratio:.2f}' for ratio in rates.ratios)}). The cached reads: "
        f"the medians of {ROUNDS} rounds taken in turn."
        + (
            f" The hypervisor took {rates.stolen:.1%} of the machine's CPU time for others "
            "while the writes ran."
            if rates.stolen is not None
            else ""
        ),
        "",
        "| case | value | target |",
        "|---|---:|---|",
    ]
    for result in rates.medians:
        rows.append(
            f"| writes, {result.clients} client{'s' if result.clients > 1 else ''} | "
            f"{result.rate:.1f} events/s ({result.failed} failed) | |"
        )
    eight = rates.ratio
    wanted = 2.5 if backend == "PostgreSQL" else 1.0
    rows.append(
        f"| 8 clients / 1 client | {eight:.2f} | "
        f"{'PASS' if eight >= wanted else 'FAIL'} (≥ {wanted}) |"
    )
    kept = beside.rps / alone.rps
    rows += [
        f"| cached first page alone | {alone.rps:.0f} req/s, p99 {alone.p99_ms:.1f} ms | |",
        f"| cached first page beside a writer | {beside.rps:.0f} req/s, "
        f"p99 {beside.p99_ms:.1f} ms | "
        f"{'PASS' if beside.p99_ms < 20 else 'FAIL'} (p99 < 20 ms) |",
        f"| beside a writer / alone (req/s) | {kept:.2f} | "
        f"{'PASS' if kept >= 0.5 else 'FAIL'} (≥ 0.5) |",
    ]
    return "\n".join(rows)
