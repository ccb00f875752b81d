"""The timeline over 100,000 events: the page opens, counts crowded windows, draws narrow ones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import Console, watched
from tests.support.servers import LiveServer, seeded_server

EVENTS = 100_000


@pytest.fixture(scope="module")
def big_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with seeded_server(
        tmp_path_factory.mktemp("big"), fill=EVENTS, secret_key="scale-test-secret"
    ) as server:
        yield server


def test_a_hundred_thousand_events_open_counted_then_drawn(
    browser: Any, big_server: LiveServer, console: Console
) -> None:
    context = browser.new_context(base_url=big_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    try:
        page = watched(context.new_page(), console.errors)
        page.goto("/")
        # Forty years of events: too many to draw, so the window comes as counts per period.
        page.wait_for_selector("#timeline .vis-item.bucket")
        status = page.locator("#timeline-status").inner_text()
        assert re.match(r"^100,00\d events here: counted per (month|year)", status), status
        assert page.locator("#event-list article[data-slug]").count() == 50
        assert page.get_by_role("link", name="Later events").is_visible()
        # Choosing a count zooms into it; a fortnight is drawn event by event.
        page.goto("/?start=2000-03-01&end=2000-03-15")
        page.wait_for_selector("#timeline .vis-item .item-title")
        status = page.locator("#timeline-status").inner_text()
        drawn = int(status.split(" ")[0].replace(",", ""))
        assert 0 < drawn <= 400
        # Panning asks only for the new window.
        page.locator("#timeline").focus()
        with page.expect_response(re.compile(r"/api/v1/timeline\?")) as answer:
            page.get_by_role("button", name="Zoom out").click()
        assert answer.value.ok
        assert console.errors == []
    finally:
        context.close()


def test_on_a_phone_counts_lead_down_to_events(
    browser: Any, big_server: LiveServer, console: Console
) -> None:
    context = browser.new_context(
        base_url=big_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    context.set_default_timeout(30_000)
    try:
        page = watched(context.new_page(), console.errors)
        page.goto("/")
        # Forty years as one count per year, each a button that opens its year.
        page.wait_for_selector("#timeline .vtl-bucket button")
        years = page.locator("#timeline .vtl-bucket button").all_inner_texts()
        assert 30 <= len(years) <= 45, years
        assert re.match(r"^\d{4}: [\d.]+k? events$", years[10]), years[10]
        page.locator("#timeline .vtl-bucket button").nth(10).click()
        page.wait_for_function(
            "() => /^\\w{3,9} \\d{4}: /.test(document.querySelector('.vtl-bucket button')"
            "?.textContent || '')"
        )
        page.locator("#timeline .vtl-bucket button").first.click()
        page.wait_for_selector("#timeline .vtl-entry[data-slug] .item-title")
        shown = page.locator("#timeline .vtl-entry[data-slug]").count()
        status = page.locator("#timeline-status").inner_text()
        assert status == f"{shown} events in this stretch of time."
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert console.errors == []
    finally:
        context.close()
