"""Browser fixtures: the app served by uvicorn on a free port over a seeded SQLite file, and a
real Chromium driven by Playwright. Without Chromium these tests skip, unless
PARLEY_REQUIRE_BROWSER=1 says they must run."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from app.cli import migrate
from app.config import ROOT, Settings
from app.db import Database
from app.seeds import load

CHROMIUM = os.environ.get("PARLEY_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("PARLEY_REQUIRE_BROWSER", "") not in ("", "0", "false")
# Chromium on a machine with no network beyond loopback: no background fetches, no sandbox
# (tests may run as root), no GPU.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    database: Database
    settings: Settings

    def api(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app as a user meets it: uvicorn on loopback, migrated and seeded."""
    from app.main import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'parley.db'}"
    migrate(url)
    database = Database(url)
    with database.session(write=True) as session:
        load(session, ROOT / "seeds")
    settings = Settings(
        database_url=url,
        secret_key="browser-test-secret",
        site_title="Parley",
        allow_suggestions=True,
    )
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, database=database), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    yield LiveServer(url=f"http://127.0.0.1:{port}", database=database, settings=settings)
    server.should_exit = True
    thread.join(timeout=10)
    database.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM} (set PARLEY_CHROMIUM)"
        if REQUIRE_BROWSER:
            pytest.fail(message + " and PARLEY_REQUIRE_BROWSER=1 requires one")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class Console:
    """What the page said on its console: errors fail the tests that check."""

    errors: list[str] = field(default_factory=list)


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def context(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: Any, console: Console) -> Any:
    page = context.new_page()
    page.on("console", lambda msg: console.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: console.errors.append(str(exc)))
    return page


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (axe is injected by the test, not the app)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations
