"""The peer: Datasette serving the same SQLite file, measured side by side with Parley.

Both serve one process each, under uvicorn without an access log (`bench/datasette_app.py`
is what `datasette serve` runs, minus the log line per request), driven by the same load
driver (`bench/load.py`) in interleaved rounds (Parley then Datasette, then the other way
round, …) so that a busy moment on the machine falls on both; the report gives medians
over the rounds. Parley runs with its
answer cache off: every answer is built, as for every page of a sync walk.

Datasette's side of each case is its own JSON for the same question: the table sorted by
date (`_sort=starts_at`, its keyset `_next` token for the deep page), the same filtered
(`kind__exact`, a date range, and the actor's events through `_where` on the choice rows
Parley keeps), its full-text search (`_search`, over the same FTS5 index), and its row
JSON. `_nocount=1` spares it the count of matching rows it would otherwise make on every
page, and facet suggestions are off (`bench/datasette_app.py`): the peer at its fastest.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from datasette.utils import tilde_encode
from sqlalchemy.engine import make_url

from bench.prepare import Case
from bench.runs import Result, fetch, measure
from bench.server import serve

#: The cases compared, in the order of the report.
PEER_CASES = ("first page", "page 90% deep", "filtered page", "search", "single event")


@dataclass
class Pair:
    """One case as Parley and as Datasette ask it."""

    name: str
    parley: list[str]
    datasette: list[str]


def pairs(url: str, parley_cases: list[Case], *, search_word: str) -> list[Pair]:
    """Datasette's requests for the same questions as Parley's cases (same rows)."""
    path = str(make_url(url).database)
    name = Path(path).stem
    by_name = {case.name: case for case in parley_cases}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        live = connection.execute("SELECT count(*) FROM event WHERE deleted_at IS NULL").fetchone()[
            0
        ]
        # The row Parley's deep cursor points after: 90% of the way down.
        starts_at, event_id = connection.execute(
            "SELECT starts_at, id FROM event WHERE deleted_at IS NULL "
            "ORDER BY starts_at, id LIMIT 1 OFFSET ?",
            (int(live * 0.9) - 1,),
        ).fetchone()
        filtered = dict(parse_qsl(urlsplit(by_name["filtered page"].paths[0]).query))
        (actor_id,) = connection.execute(
            "SELECT id FROM actor WHERE slug = ?", (filtered["actor"],)
        ).fetchone()
        slugs = [p.rsplit("/", 1)[1] for p in by_name["single event"].paths]
        marks = ",".join("?" * len(slugs))
        ids = [
            row[0]
            for row in connection.execute(f"SELECT id FROM event WHERE slug IN ({marks})", slugs)
        ]
    table = f"/{quote(name)}/event.json"
    page = {"_sort": "starts_at", "_size": "50", "_nocount": "1"}
    return [
        Pair("first page", by_name["first page"].paths, [f"{table}?{urlencode(page)}"]),
        Pair(
            "page 90% deep",
            by_name["page 90% deep"].paths,
            [f"{table}?{urlencode({**page, '_next': _next_token(starts_at, event_id)})}"],
        ),
        Pair(
            "filtered page",
            by_name["filtered page"].paths,
            [
                f"{table}?"
                + urlencode(
                    {
                        **page,
                        "kind__exact": filtered["kind"],
                        "start_date__gte": filtered["from"],
                        "start_date__lte": filtered["to"],
                        "deleted_at__isnull": "1",
                        # The actor with the people who speak for it, as Parley's filter
                        # counts them (its choice rows, which Datasette reads like any table).
                        "_where": "id in (select event_id from event_facet where "
                        f"facet = 'actor' and value_id = {actor_id})",
                    }
                )
            ],
        ),
        Pair(
            "search",
            by_name["search"].paths,
            [f"{table}?{urlencode({'_search': search_word, '_size': '50', '_nocount': '1'})}"],
        ),
        Pair(
            "single event",
            by_name["single event"].paths,
            [f"/{quote(name)}/event/{event_id}.json" for event_id in ids],
        ),
    ]


def _next_token(sort_value: Any, event_id: int) -> str:
    """Datasette's keyset token for "after this row" of a table sorted by a column: the
    sort value and the primary key, each tilde-encoded, joined by a comma."""
    return f"{tilde_encode(str(sort_value))},{tilde_encode(str(event_id))}"


def compare(url: str, parley_cases: list[Case], args: argparse.Namespace) -> dict[str, Any]:
    """Interleaved rounds of every case on both servers; medians of each side."""
    chosen = pairs(url, parley_cases, search_word=args.search_word)
    env = {
        "PARLEY_DATABASE_URL": url,
        "PARLEY_SECRET_KEY": "bench-not-a-secret",
        "PARLEY_RESPONSE_CACHE_MB": "0",
    }
    path = str(make_url(url).database)
    runs: dict[str, dict[str, list[Result]]] = {
        p.name: {"parley": [], "datasette": []} for p in chosen
    }
    with (
        serve("app.main:create_app", env) as parley_port,
        serve(
            "bench.datasette_app:create_app",
            {"BENCH_DATASETTE_FILE": path},
            health="/-/versions.json",
        ) as peer_port,
    ):
        for pair in chosen:
            for side, port, paths in (
                ("Parley", parley_port, pair.parley),
                ("Datasette", peer_port, pair.datasette),
            ):
                status, body = fetch(port, paths[0])
                if status != 200 or len(body) < 100:
                    raise RuntimeError(f"{side}, {pair.name}: HTTP {status}: {body[:200]!r}")
        for round_number in range(args.rounds):
            for pair in chosen:
                sides = [
                    ("parley", parley_port, pair.parley),
                    ("datasette", peer_port, pair.datasette),
                ]
                if round_number % 2:
                    sides.reverse()
                for side, port, paths in sides:
                    result = measure(
                        port,
                        Case(pair.name, paths),
                        requests=args.requests,
                        concurrency=args.concurrency,
                        warmup=args.warmup,
                    )
                    runs[pair.name][side].append(result)
                    print(
                        f"  round {round_number + 1} {pair.name:<14} {side:<9} "
                        f"{result.rps:7.0f} req/s  p99 {result.p99_ms:6.1f} ms"
                    )
    return {
        name: {
            side: {
                "rps": statistics.median(r.rps for r in results),
                "median_ms": statistics.median(r.median_ms for r in results),
                "p99_ms": statistics.median(r.p99_ms for r in results),
                "bytes": results[0].bytes_per_response,
                "failed": sum(r.failed for r in results),
            }
            for side, results in sides.items()
        }
        for name, sides in runs.items()
    }


def report(size_label: str, compared: dict[str, Any], args: argparse.Namespace) -> str:
    lines = [
        f"## SQLite, {size_label} events: Parley (answer cache off) and Datasette, one "
        f"process each, concurrency {args.concurrency}, medians of {args.rounds} "
        f"interleaved rounds of {args.requests} requests",
        "",
        "| case | Parley req/s | Parley p99 ms | Datasette req/s | Datasette p99 ms | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, sides in compared.items():
        ours, peer = sides["parley"], sides["datasette"]
        lines.append(
            f"| {name} | {ours['rps']:.0f} | {ours['p99_ms']:.1f} | {peer['rps']:.0f} | "
            f"{peer['p99_ms']:.1f} | {ours['rps'] / peer['rps']:.2f} |"
        )
    return "\n".join(lines)
