"""Browser fixtures: the app served by uvicorn on a free port over a seeded SQLite file, and a
real Chromium driven by Playwright. Without Chromium these tests skip, unless
PARLEY_REQUIRE_BROWSER=1 says they must run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import Console, watched
from tests.support.servers import LiveServer, seeded_server

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


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with seeded_server(
        tmp_path_factory.mktemp("live"), secret_key="browser-test-secret", allow_suggestions=True
    ) as server:
        yield server


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


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def context(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture
def page(context: Any, console: Console) -> Any:
    return watched(context.new_page(), console.errors)
