"""`python -m bench`: generate, serve with uvicorn, drive load from another process, report."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench import pages, peer, writes
from bench.exports import ExportResult, measure_exports, rss_mb, summary
from bench.prepare import BENCH_DIR, Case, cases, database_url, ensure
from bench.runs import Result, fetch, measure, median_of
from bench.server import serve, serve_process

TARGETS = {"deep/first": 1.2, "large/small": 1.2, "list/floor": 0.25}
#: Events per second an export of every event should stream at, at least.
EXPORT_TARGET = 20_000
#: The most a worker may hold, in MiB, through every case.
MEMORY_TARGET_MB = 300
#: Cases measured a second time with the answer cache on.
CACHED_CASES = ("first page", "single event")


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


def run_sizes(
    urls: dict[int, str], args: argparse.Namespace
) -> tuple[dict[int, list[Result]], bytes]:
    """Every case on every size: each case measured in rounds that go through the sizes in
    turn (the order flipping each round), so that a busy moment on the machine falls on every
    size alike, on a fresh server each time; the medians of the rounds. Also the first
    page's bytes, for the floor to answer the same."""
    chosen = {
        size: cases(url, search_word=args.search_word, actor=args.actor)
        for size, url in urls.items()
    }
    names = [case.name for case in next(iter(chosen.values()))]
    # Every case is measured with the answer cache off: what a read costs when it must be
    # built (a changing timeline, or a URL not asked before). The repeated reads are then
    # measured again with it on, as a server runs by default.
    runs = [(name, False) for name in names] + [(name, True) for name in CACHED_CASES]
    rounds = args.rounds if len(urls) > 1 else 1
    measured: dict[int, dict[str, list[Result]]] = {size: {} for size in urls}
    first_body = b""
    for name, cached in runs:
        label = f"{name}, cached" if cached else name
        for round_number in range(rounds):
            order = list(urls) if round_number % 2 == 0 else list(reversed(urls))
            for size in order:
                env = {"PARLEY_DATABASE_URL": urls[size], "PARLEY_SECRET_KEY": "bench-not-a-secret"}
                if not cached:
                    env["PARLEY_RESPONSE_CACHE_MB"] = "0"
                case = next(c for c in chosen[size] if c.name == name)
                result, body = _run_case(case, label, env, args, chosen[size][0])
                first_body = first_body or body
                if result is None:
                    continue
                measured[size].setdefault(label, []).append(result)
                print(
                    f"  {_size_label(size):>5} {label:<22} {_summary(result)}"
                    f"  peak {result.peak_mb:.0f} MiB"
                )
    by_size = {
        size: [median_of(results) for results in per_case.values()]
        for size, per_case in measured.items()
    }
    return by_size, first_body


def _run_case(
    case: Case, label: str, env: dict[str, str], args: argparse.Namespace, first: Case
) -> tuple[Result | None, bytes]:
    """One case on a fresh server (one case's failure or crash cannot spoil the next): its
    result (None when this version of the API cannot answer it) and the first page's bytes."""
    with serve_process("app.main:create_app", env) as (port, process):
        _status, first_body = fetch(port, first.paths[0])
        first_page = json.loads(first_body)["items"]
        problem = check(port, case, actor=args.actor, word=args.search_word, first_page=first_page)
        if problem and case.name in ("page 90% deep", "filtered page", "search"):
            print(f"  {case.name}: skipped: {problem}")
            return None, first_body
        if problem:
            raise RuntimeError(f"{case.name}: {problem}")
        # With the answer cache on, the warm-up asks for every path of the case at least once
        # (the single event case names 200 events): the case measures answers the cache holds.
        cached = "PARLEY_RESPONSE_CACHE_MB" not in env
        result = measure(
            port,
            Case(label, case.paths),
            requests=args.requests,
            concurrency=args.concurrency,
            warmup=max(args.warmup, len(case.paths)) if cached else args.warmup,
        )
        result.peak_mb = rss_mb(process.pid, "VmHWM")
    for error in result.errors:
        print(f"    error: {error}")
    return result, first_body


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
        peak = max((r.peak_mb for r in by_size[size]), default=0.0)
        lines.append(
            f"| a worker's peak memory, {_size_label(size)} (MiB, over every case) | {peak:.0f} | "
            f"{'PASS' if peak < MEMORY_TARGET_MB else 'FAIL'} (< {MEMORY_TARGET_MB}) |"
        )
    for size in by_size:
        cached, built = table[size].get("first page, cached"), table[size].get("first page")
        if cached:
            label = f"list / floor, {_size_label(size)} (req/s, answer cache on)"
            ratio_row(label, cached.rps / floor.rps, "list/floor")
        if built:
            label = f"list / floor, {_size_label(size)} (req/s, every answer built)"
            ratio_row(label, built.rps / floor.rps)
    return "\n".join(lines)


def export_report(backend: str, exports: dict[int, list[ExportResult]]) -> str:
    """The exports' table: how fast every event streams out, and how much memory it takes."""
    lines = [
        f"## {backend}: exports of every event, read by another process",
        "",
        "| export | events | events/s | events per server CPU s | MB "
        "| server memory idle → peak (MiB) | target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for results in exports.values():
        for r in results:
            verdict = _mark(r.events_per_second, EXPORT_TARGET, at_most=False)
            lines.append(
                f"| {r.case} | {r.events:,} | {r.events_per_second:,.0f} "
                f"| {r.events_per_cpu_second:,.0f} | {r.bytes / 1e6:,.0f} "
                f"| {r.idle_rss_mb:.0f} → {r.peak_rss_mb:.0f} | {verdict} |"
            )
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


def _writes(backend: str, args: argparse.Namespace) -> str:
    print("\nwrites, and cached reads beside a writer (a database of their own)")
    rates, alone, beside = writes.measure_writes(
        args.database_url, requests=args.requests, concurrency=args.concurrency, warmup=args.warmup
    )
    return writes.report(backend, rates, alone, beside)


def _print_load(started: float) -> None:
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n({machine()}; load average at the end {load_average}; "
        f"whole run {time.perf_counter() - started:.0f} s)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL (postgresql+psycopg://…); one database per size is "
        "made on it. Default: SQLite files under var/bench/",
    )
    parser.add_argument(
        "--sizes",
        default="100000",
        help="events per database, comma-separated (default: 100000; 1000000 takes long to "
        "generate the first time)",
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
    parser.add_argument(
        "--peer-size",
        type=int,
        default=100_000,
        help="on SQLite, the size at which Datasette serves the same file beside Parley "
        "(default: 100000; 0: no comparison)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="interleaved rounds of the comparison (default: 3)"
    )
    parser.add_argument(
        "--skip-writes", action="store_true", help="leave out the writes and reads-beside-writes"
    )
    parser.add_argument(
        "--exports-only", action="store_true", help="measure only the NDJSON and CSV exports"
    )
    parser.add_argument(
        "--writes-only",
        action="store_true",
        help="measure only the writes and reads-beside-writes (on a 10k database of their own)",
    )
    parser.add_argument(
        "--skip-pages",
        action="store_true",
        help="leave out the timeline page and its draw in Chromium (SQLite only)",
    )
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress, live

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    backend = "PostgreSQL" if args.database_url else "SQLite"
    started = time.perf_counter()
    print(f"Parley benchmark on {machine()}")
    if args.writes_only:
        print("\n" + _writes(backend, args))
        _print_load(started)
        return
    by_size: dict[int, list[Result]] = {}
    exports: dict[int, list[ExportResult]] = {}
    first_body = b""
    urls = {size: database_url(args.database_url, size) for size in sizes}
    for size, url in urls.items():
        print(f"\n{backend}, {size:,} events ({make_url(url).render_as_string(True)})")
        ensure(url, size, regenerate=args.regenerate)
    if not args.exports_only:
        print(f"\nthe read cases, {'interleaved over the sizes' if len(sizes) > 1 else 'once'}")
        by_size, first_body = run_sizes(urls, args)
    for size, url in urls.items():
        exports[size] = measure_exports(url)
        for result in exports[size]:
            print(f"  export {_size_label(size)} {result.case:<15} {summary(result)}")
    if args.exports_only:
        print("\n" + export_report(backend, exports))
        return
    if not args.database_url and not args.skip_pages:
        print("\nthe timeline page, and its first draw in Chromium")
        labelled = [("seed", pages.seed_url())] + [
            (_size_label(size), database_url(None, size)) for size in sizes
        ]
        page_results = pages.measure_pages(labelled)
        draws = pages.measure_draws(labelled)
    print("\nfloor: a bare FastAPI endpoint answering the first page's bytes")
    floor = run_floor(first_body, args)
    print(f"  {_summary(floor)}")
    text = report(backend, by_size, floor, args)
    if not args.database_url and not args.skip_pages:
        text += "\n\n" + pages.report(page_results, draws)
    if not args.database_url and args.peer_size:
        url = database_url(None, args.peer_size)
        ensure(url, args.peer_size, regenerate=False)
        print(f"\nSide by side with Datasette, {args.peer_size:,} events")
        chosen = cases(url, search_word=args.search_word, actor=args.actor)
        compared = peer.compare(url, chosen, args)
        text += "\n\n" + peer.report(_size_label(args.peer_size), compared, args)
    if not args.skip_writes:
        text += "\n\n" + _writes(backend, args)
    text += "\n\n" + export_report(backend, exports)
    print("\n" + text)
    _print_load(started)
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
