"""The timeline page (`/`) as readers meet it: its first visit after a write (its counts made
again), later visits, filtered pages, and the interactive timeline's first draw in Chromium;
on the seed timeline and on the generated databases, each served by uvicorn as in the other
cases.

"After a write" moves the data version directly in the database before each request, as any
write would, so every such visit counts again; "later" visits read what the first kept.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, text

from app.cli import migrate
from app.core.database import Database
from app.core.settings import ROOT
from app.seeds import load
from bench.prepare import BENCH_DIR
from bench.server import serve

#: The pages measured: the plain timeline, the filter combinations the issue names, a
#: frequent word (on a third to a half of the generated events) with each kind of filter,
#: then the same word with a value of each of three facets (whose events hardly overlap),
#: and two values of each of three facets.
PATHS = (
    "/",
    "/?kind=talks",
    "/?tag=territories&status=held",
    "/?q=geneva",
    "/?from={recent}&q=s&actor=russia&lanes=party",
    "/?q=talks&status=held",
    "/?q=ceasefire&kind=talks",
    "/?q=prisoner&actor=ukraine",
    "/?q=talks&tag=territories",
    "/?q=talks&place=geneva",
    "/?q=russia&actor=ukraine&place=geneva&kind=talks",
    "/?status=held&status=tentative&place=geneva&place=abu-dhabi&tag=territories&tag=ceasefire",
)
#: Visits per page and kind of visit; the report gives medians.
VISITS = 9
CHROMIUM = os.environ.get("PARLEY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class PageResult:
    label: str
    path: str
    after_write_ms: float
    later_ms: float


@dataclass
class DrawResult:
    label: str
    median_ms: float


def seed_url() -> str:
    """A database of the seed timeline alone, made once."""
    path = BENCH_DIR / "seed.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        migrate(url)
        database = Database(url)
        with database.session(write=True) as session:
            load(session, ROOT / "seeds")
        database.dispose()
    migrate(url)
    return url


def _bump(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE data_version SET version = version + 1 WHERE id = 1"))
    engine.dispose()


def _get_ms(port: int, path: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as answer:
        answer.read()
        if answer.status != 200:
            raise RuntimeError(f"{path}: HTTP {answer.status}")
    return (time.perf_counter() - started) * 1000


def _paths(url: str) -> list[str]:
    """The pages, with `recent` the first day of the latest year the database holds."""
    engine = create_engine(url)
    with engine.connect() as connection:
        last = connection.scalar(text("SELECT max(start_date) FROM event"))
    engine.dispose()
    year = dt.date.fromisoformat(str(last)).year if last else dt.date.today().year
    return [path.format(recent=f"{year}-01-01") for path in PATHS]


def _servers(stack: ExitStack, labelled: list[tuple[str, str]]) -> dict[str, int]:
    """A server per database, side by side until the stack closes: their ports by label."""
    return {
        label: stack.enter_context(
            serve(
                "app.main:create_app",
                {"PARLEY_DATABASE_URL": url, "PARLEY_SECRET_KEY": "bench-not-a-secret"},
            )
        )
        for label, url in labelled
    }


def measure_pages(labelled: list[tuple[str, str]]) -> list[PageResult]:
    """Each page's median visit after a write, and median later visit, on every database:
    their servers run side by side and each visit goes through them in turn (the order
    flipping each time), so a busy moment on the machine falls on every size alike."""
    results = []
    with ExitStack() as stack:
        ports = _servers(stack, labelled)
        urls = dict(labelled)
        paths = {label: _paths(url) for label, url in labelled}
        for index in range(len(PATHS)):
            after_write: dict[str, list[float]] = {label: [] for label in urls}
            later: dict[str, list[float]] = {label: [] for label in urls}
            for visit in range(VISITS + 3):
                order = list(urls) if visit % 2 == 0 else list(reversed(urls))
                for label in order:
                    path = paths[label][index]
                    _bump(urls[label])
                    took = _get_ms(ports[label], path)
                    # The first visits compile templates and statements: a server that runs.
                    if visit >= 3:
                        after_write[label].append(took)
            for visit in range(VISITS):
                order = list(urls) if visit % 2 == 0 else list(reversed(urls))
                for label in order:
                    later[label].append(_get_ms(ports[label], paths[label][index]))
            for label in urls:
                result = PageResult(
                    label,
                    paths[label][index],
                    statistics.median(after_write[label]),
                    statistics.median(later[label]),
                )
                print(
                    f"  {label:<5} {result.path:<52} after a write {result.after_write_ms:7.1f} ms"
                    f"  later {result.later_ms:7.1f} ms"
                )
                results.append(result)
    return results


def measure_draws(labelled: list[tuple[str, str]]) -> list[DrawResult]:
    """The median time from asking for `/` to the interactive timeline drawn, in Chromium, on
    every database, each visit after a write (the counts, and the window's answer, made
    again), the databases taken in turn as for the pages."""
    if not Path(CHROMIUM).exists():
        print(f"  no Chromium at {CHROMIUM}: the timeline's draw is not measured")
        return []
    drawn: dict[str, list[float]] = {label: [] for label, _ in labelled}
    urls = dict(labelled)
    with ExitStack() as stack, sync_playwright() as playwright:
        ports = _servers(stack, labelled)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for visit in range(VISITS + 2):
                order = list(urls) if visit % 2 == 0 else list(reversed(urls))
                for label in order:
                    took = _draw_ms(browser, urls[label], ports[label])
                    if visit >= 2:  # the first two warm the servers and the browser
                        drawn[label].append(took)
        finally:
            browser.close()
    results = [DrawResult(label, statistics.median(times)) for label, times in drawn.items()]
    for result in results:
        print(f"  {result.label:<5} timeline drawn in Chromium {result.median_ms:7.1f} ms")
    return results


def _draw_ms(browser: Any, url: str, port: int) -> float:
    _bump(url)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
    page.wait_for_function(
        "() => /event/.test(document.querySelector('#timeline-status').textContent)"
        " && !document.querySelector('#timeline').hasAttribute('aria-busy')",
        timeout=120_000,
    )
    took = float(page.evaluate("() => performance.now()"))
    context.close()
    return took


def report(pages: list[PageResult], draws: list[DrawResult]) -> str:
    """The table of pages by size, and the ratios the read path is held to."""
    labels = list(dict.fromkeys(result.label for result in pages))
    paths = list(dict.fromkeys(result.path.split("?")[0] + _query(result.path) for result in pages))
    table = {(r.label, r.path.split("?")[0] + _query(r.path)): r for r in pages}
    lines = [
        "## The timeline page (`/`), served by uvicorn: medians of "
        f"{VISITS} visits, ms (after a write: its counts made again)",
        "",
        "| page | "
        + " | ".join(f"{label} after a write | {label} later" for label in labels)
        + " |",
        "|---|" + "---:|---:|" * len(labels),
    ]
    for path in paths:
        cells = []
        for label in labels:
            result = table.get((label, path))
            cells.append(
                f"{result.after_write_ms:.1f} | {result.later_ms:.1f}" if result else "– | –"
            )
        lines.append(f"| `{path}` | " + " | ".join(cells) + " |")
    lines += ["", "| ratio | value | target |", "|---|---:|---|"]
    plain = {r.label: r for r in pages if r.path == "/"}
    seed = plain.get("seed")
    for label, result in plain.items():
        if seed and label != "seed":
            value = result.after_write_ms / seed.after_write_ms
            target = 2.0 if label == "100k" else None
            lines.append(_ratio(f"`/` after a write, {label} / seed", value, target))
        if label == "1M":
            lines.append(
                f"| `/` after a write, 1M (ms) | {result.after_write_ms:.0f} | "
                f"{'PASS' if result.after_write_ms < 1000 else 'FAIL'} (< 1000) |"
            )
    if "100k" in plain and "1M" in plain:
        value = plain["1M"].later_ms / plain["100k"].later_ms
        lines.append(_ratio("`/` later, 1M / 100k", value, 1.2))
    for result in pages:
        if result.label == "100k" and result.path != "/" and "100k" in plain:
            value = result.after_write_ms / plain["100k"].after_write_ms
            lines.append(_ratio(f"`{result.path}` / `/`, 100k, after a write", value, 3.0))
    by_label = {draw.label: draw for draw in draws}
    if "seed" in by_label:
        for label, draw in by_label.items():
            if label != "seed":
                value = draw.median_ms / by_label["seed"].median_ms
                target = 1.5 if label == "100k" else None
                lines.append(_ratio(f"timeline's first draw, {label} / seed", value, target))
    return "\n".join(lines)


def _query(path: str) -> str:
    return f"?{path.split('?', 1)[1]}" if "?" in path else ""


def _ratio(label: str, value: float, target: float | None) -> str:
    if target is None:
        return f"| {label} | {value:.2f} | (none) |"
    return f"| {label} | {value:.2f} | {'PASS' if value <= target else 'FAIL'} (≤ {target}) |"
