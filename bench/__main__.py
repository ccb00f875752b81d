"""`python -m bench`: generate, serve with uvicorn, drive load from another process, report."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench.prepare import BENCH_DIR, Case, cases, database_url, ensure
from bench.server import serve

TARGETS = {"deep/first": 1.5, "large/small": 1.5, "list/floor": 0.25}
#: Cases measured a second time with the answer cache on.
CACHED_CASES = ("first page", "single event")


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


def check(port: int, case: Case, *, actor: str, word: str, first_page: list[Any]) -> str:
    """Why the answer is not what the case means to measure; empty when it is."""
    status, body = fetch(port, case.paths[0])
    if status != 200:
        return f"HTTP {status}: {body[:200]!r}"
    answer = json.loads(body)
    items = answer.get("items", [answer])
    if not items:
        return "no items"
    if case.name == "page 90% deep" and items[0]["slug"] == first_page[0]["slug"]:
        return "the cursor was ignored (not in this version of the API)"
    if case.name == "filtered page":
        for item in items:
            sides = {p["actor"]["slug"] for p in item["participants"]} | {
                (p["actor"].get("affiliation") or {}).get("slug") for p in item["participants"]
            }
            if item["kind"] != "talks" or actor not in sides:
                return "the filters were ignored (not in this version of the API)"
    if case.name == "search":
        for item in items:
            if word.lower() not in json.dumps(item, ensure_ascii=False).lower():
                return "`q` was ignored (not in this version of the API)"
    return ""


def run_size(url: str, size: int, args: argparse.Namespace) -> tuple[list[Result], bytes]:
    ensure(url, size, regenerate=args.regenerate)
    chosen = cases(url, search_word=args.search_word, actor=args.actor)
    env = {"PARLEY_DATABASE_URL": url, "PARLEY_SECRET_KEY": "bench-not-a-secret"}
    # Every case is measured with the answer cache off: what a read costs when it must be
    # built (a changing timeline, or a URL not asked before). The repeated reads are then
    # measured again with it on, as a server runs by default.
    cold = {**env, "PARLEY_RESPONSE_CACHE_MB": "0"}
    runs = [(case, cold, case.name) for case in chosen] + [
        (case, env, f"{case.name}, cached") for case in chosen if case.name in CACHED_CASES
    ]
    results: list[Result] = []
    first_body = b""
    for case, case_env, name in runs:
        # A fresh server per case: one case's failure (or crash) cannot spoil the next.
        with serve("app.main:create_app", case_env) as port:
            if not first_body:
                _status, first_body = fetch(port, chosen[0].paths[0])
            first_page = json.loads(first_body)["items"]
            problem = check(
                port, case, actor=args.actor, word=args.search_word, first_page=first_page
            )
            if problem and case.name in ("page 90% deep", "filtered page", "search"):
                print(f"  {case.name}: skipped: {problem}")
                continue
            if problem:
                raise RuntimeError(f"{case.name}: {problem}")
            result = measure(
                port,
                Case(name, case.paths),
                requests=args.requests,
                concurrency=args.concurrency,
                warmup=args.warmup,
            )
        print(f"  {name:<22} {_summary(result)}")
        for error in result.errors:
            print(f"    error: {error}")
        results.append(result)
    return results, first_body


def run_floor(body: bytes, args: argparse.Namespace) -> Result:
    path = BENCH_DIR / "floor-body.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    with serve("bench.floor:create_app", {"BENCH_FLOOR_BODY": str(path)}) as port:
        status, served = fetch(port, "/api/v1/events?limit=50")
        assert status == 200 and served == body, "the floor must answer the same bytes"
        return measure(
            port,
            Case("floor (bare FastAPI)", ["/api/v1/events?limit=50"]),
            requests=args.requests,
            concurrency=args.concurrency,
            warmup=args.warmup,
        )


def _summary(result: Result) -> str:
    return (
        f"median {result.median_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms  {result.rps:7.0f} req/s"
    )


def _size_label(size: int) -> str:
    return (
        f"{size // 1_000_000}M"
        if size >= 1_000_000 and size % 1_000_000 == 0
        else f"{size // 1000}k"
    )


def _mark(value: float, target: float, *, at_most: bool) -> str:
    ok = value <= target if at_most else value >= target
    return f"{'PASS' if ok else 'FAIL'} ({'≤' if at_most else '≥'} {target})"


def report(
    backend: str, by_size: dict[int, list[Result]], floor: Result, args: argparse.Namespace
) -> str:
    lines = [
        f"## {backend}: {args.requests} requests per case, concurrency {args.concurrency}, "
        "medians and p99 in ms",
        "",
        "| case | "
        + " | ".join(
            f"{_size_label(s)} median | {_size_label(s)} p99 | {_size_label(s)} req/s"
            for s in by_size
        )
        + " |",
        "|---|" + "---:|---:|---:|" * len(by_size),
    ]
    names = list(dict.fromkeys(r.case for results in by_size.values() for r in results))
    table = {s: {r.case: r for r in results} for s, results in by_size.items()}
    for name in names:
        cells = []
        for size in by_size:
            r = table[size].get(name)
            if r is None:
                cells.append("– | – | –")
                continue
            failed = f" ({r.failed} failed)" if r.failed else ""
            cells.append(f"{r.median_ms:.1f} | {r.p99_ms:.1f} | {r.rps:.0f}{failed}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append(
        f"| floor: bare FastAPI, same bytes ({floor.bytes_per_response:,} B) | "
        + " | ".join(
            f"{floor.median_ms:.1f} | {floor.p99_ms:.1f} | {floor.rps:.0f}" for _ in by_size
        )
        + " |"
    )
    lines += ["", "| ratio | value | target |", "|---|---:|---|"]

    def ratio_row(label: str, value: float, target: str | None = None) -> None:
        verdict = "(none)"
        if target is not None:
            verdict = _mark(value, TARGETS[target], at_most=target != "list/floor")
        lines.append(f"| {label} | {value:.2f} | {verdict} |")

    for size in by_size:
        first, deep = table[size].get("first page"), table[size].get("page 90% deep")
        if first and deep:
            label = f"deep / first page, {_size_label(size)} (median)"
            ratio_row(label, deep.median_ms / first.median_ms, "deep/first")
    sizes = sorted(by_size)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for name in names:
            a, b = table[small].get(name), table[large].get(name)
            if a and b:
                label = f"{_size_label(large)} / {_size_label(small)}, {name} (median)"
                ratio_row(label, b.median_ms / a.median_ms, "large/small")
    for size in by_size:
        first, search = table[size].get("first page"), table[size].get("search")
        if first and search:
            label = f"search / first page, {_size_label(size)} (median)"
            ratio_row(label, search.median_ms / first.median_ms)
    for size in by_size:
        cached, built = table[size].get("first page, cached"), table[size].get("first page")
        if cached:
            label = f"list / floor, {_size_label(size)} (req/s, answer cache on)"
            ratio_row(label, cached.rps / floor.rps, "list/floor")
        if built:
            label = f"list / floor, {_size_label(size)} (req/s, every answer built)"
            ratio_row(label, built.rps / floor.rps)
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL (postgresql+psycopg://…); one database per size is "
        "made on it. Default: SQLite files under var/bench/",
    )
    parser.add_argument(
        "--sizes", default="10000,1000000", help="events per database (default: 10000,1000000)"
    )
    parser.add_argument(
        "--requests", type=int, default=500, help="measured requests per case (default: 500)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=4, help="connections at once (default: 4)"
    )
    parser.add_argument(
        "--warmup", type=int, default=50, help="unmeasured requests first (default: 50)"
    )
    parser.add_argument("--search-word", default="geneva", help="the `q` of the search case")
    parser.add_argument("--actor", default="russia", help="the actor of the filtered case")
    parser.add_argument("--regenerate", action="store_true", help="make the databases again")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress, live

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    backend = "PostgreSQL" if args.database_url else "SQLite"
    started = time.perf_counter()
    print(f"Parley benchmark on {machine()}")
    by_size: dict[int, list[Result]] = {}
    first_body = b""
    for size in sizes:
        url = database_url(args.database_url, size)
        print(f"\n{backend}, {size:,} events ({make_url(url).render_as_string(True)})")
        by_size[size], body = run_size(url, size, args)
        first_body = first_body or body
    print("\nfloor: a bare FastAPI endpoint answering the first page's bytes")
    floor = run_floor(first_body, args)
    print(f"  {_summary(floor)}")
    text = report(backend, by_size, floor, args)
    print("\n" + text)
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n({machine()}; load average at the end {load_average}; "
        f"whole run {time.perf_counter() - started:.0f} s)"
    )
    out = BENCH_DIR / f"results-{backend.lower()}.json"
    out.write_text(
        json.dumps(
            {
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "machine": machine(),
                "args": vars(args) | {"database_url": bool(args.database_url)},
                "sizes": {str(s): [asdict(r) for r in rs] for s, rs in by_size.items()},
                "floor": asdict(floor),
                "report": text,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
