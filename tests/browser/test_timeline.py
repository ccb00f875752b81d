"""The timeline page in a real Chromium: drawing, selecting, filtering, keys, phones, no JS."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.browser import Console, axe_violations, watched
from tests.support.servers import LiveServer

SEED_COUNT = 7


def open_timeline(page: Any, url: str = "/") -> None:
    page.goto(url)
    page.wait_for_selector("#timeline [data-slug]")
    page.wait_for_function(
        "() => document.querySelector('#timeline-status').textContent.includes('event')"
    )


def test_timeline_draws_the_seed_events(page: Any, console: Console) -> None:
    open_timeline(page)
    assert page.locator("#timeline-status").inner_text() == (
        f"{SEED_COUNT} events in this stretch of time."
    )
    titles = page.locator("#timeline .vis-item .item-title").all_inner_texts()
    clusters = page.locator("#timeline .vis-item.vis-cluster").count()
    assert "Trilateral consultations in Abu Dhabi" in titles
    assert len(titles) + clusters >= 3
    # Kinds differ in shape as well as colour; plans are marked, not drawn as facts.
    awaiting = page.locator("#timeline .vis-item.is-awaiting .item-label")
    assert awaiting.count() == 1
    assert "awaiting confirmation" in (awaiting.text_content() or "")
    assert awaiting.locator(".kind-icon").count() == 1
    # Lanes by side are the default: one row per side, and one for events of several sides.
    labels = page.locator("#timeline .vis-label").all_inner_texts()
    assert {"Russia", "Ukraine", "Several sides"} <= {label.strip() for label in labels}
    assert page.locator("#event-list article[data-slug]").count() == SEED_COUNT
    assert console.errors == []


def test_selecting_an_event_shows_it_and_puts_it_in_the_address(
    page: Any, console: Console
) -> None:
    open_timeline(page)
    page.locator("#timeline .vis-item", has_text="Trilateral consultations").first.click()
    panel = page.locator("#event-detail")
    panel.get_by_role("heading", name="Trilateral consultations in Abu Dhabi").wait_for()
    assert "Jan 23–24, 2026" in panel.inner_text()
    assert "Abu Dhabi" in panel.inner_text()
    assert "significant work ahead" in panel.inner_text()
    assert panel.get_by_role("link", name="Open the event page →").get_attribute("href") == (
        "/events/abu-dhabi-talks-round-1"
    )
    page.wait_for_url(re.compile(r"event=abu-dhabi-talks-round-1"))
    # The address reopens the same view: the event selected and shown.
    page.reload()
    page.locator("#event-detail h2").wait_for()
    assert page.locator("#event-detail h2").inner_text() == "Trilateral consultations in Abu Dhabi"
    assert console.errors == []


def test_arrow_keys_move_between_events(page: Any, console: Console) -> None:
    open_timeline(page)
    page.locator("#timeline").focus()
    page.keyboard.press("ArrowRight")
    first = page.locator("#event-detail h2")
    first.wait_for()
    before = first.inner_text()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "title => document.querySelector('#event-detail h2').textContent !== title", arg=before
    )
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "title => document.querySelector('#event-detail h2').textContent === title", arg=before
    )
    page.keyboard.press("Escape")
    assert page.locator("#event-detail").is_hidden()
    assert "event=" not in page.url
    assert console.errors == []


def test_zoom_buttons_change_the_window_kept_in_the_address(page: Any, console: Console) -> None:
    open_timeline(page)
    page.wait_for_url(re.compile(r"start=\d{4}-\d\d-\d\d"))

    def span() -> int:
        start = re.search(r"start=([\d-]+)", page.url)
        end = re.search(r"end=([\d-]+)", page.url)
        assert start and end
        from datetime import date

        return (date.fromisoformat(end.group(1)) - date.fromisoformat(start.group(1))).days

    wide = span()
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_function(
        "wide => { const p = new URLSearchParams(location.search);"
        " return (new Date(p.get('end')) - new Date(p.get('start'))) / 864e5 < wide; }",
        arg=wide,
    )
    assert span() < wide
    assert console.errors == []


def test_filters_narrow_both_views_and_survive_a_reload(page: Any, console: Console) -> None:
    open_timeline(page)
    page.get_by_role("checkbox", name=re.compile(r"^Talks")).check()
    page.wait_for_url(re.compile(r"kind=talks"))
    page.wait_for_function(
        "() => document.querySelectorAll('#event-list article[data-slug]').length === 2"
    )
    page.wait_for_function(
        "() => document.querySelector('#timeline-status').textContent.startsWith('2 events')"
    )
    assert page.locator("#result-count").inner_text().startswith("2 events match")
    page.reload()
    page.wait_for_selector("#timeline [data-slug]")
    assert page.locator("#event-list article[data-slug]").count() == 2
    assert page.get_by_role("checkbox", name=re.compile(r"^Talks")).is_checked()
    page.wait_for_function(
        "() => document.querySelector('#timeline-status').textContent.startsWith('2 events')"
    )
    # Text search, through the same form.
    page.get_by_label("Search").fill("no event says this")
    page.wait_for_url(re.compile(r"q=no"))
    page.wait_for_function("() => document.querySelectorAll('#event-list article').length === 0")
    assert console.errors == []


def test_the_page_works_without_javascript(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        assert page.locator("#event-list article[data-slug]").count() == SEED_COUNT
        assert "needs JavaScript" in page.locator("#timeline").inner_text()
        page.get_by_role("checkbox", name=re.compile(r"^Talks")).check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"kind=talks"))
        slugs = page.locator("#event-list article").evaluate_all(
            "cards => cards.map(c => c.dataset.slug)"
        )
        assert slugs == ["abu-dhabi-talks-round-1", "abu-dhabi-talks-round-2"]
        page.get_by_role("link", name="Trilateral consultations in Abu Dhabi").click()
        assert page.locator("h1").inner_text() == "Trilateral consultations in Abu Dhabi"
    finally:
        context.close()


PAGES = [
    "/",
    "/events/abu-dhabi-talks-round-1",
    "/events/abu-dhabi-talks-round-2",
    "/actors/russia",
    "/actors/dmitry-peskov",
    "/places/abu-dhabi",
    "/series/abu-dhabi-trilateral-talks",
    "/about",
    "/events/no-such-event",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe(page: Any, console: Console, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    for url in PAGES:
        page.goto(url)
        if url == "/":
            page.wait_for_selector("#timeline [data-slug]")
        violations = axe_violations(page)
        assert violations == [], (url, [(v["id"], v["nodes"][0]["target"]) for v in violations])
    assert [e for e in console.errors if "404" not in e] == []


def test_a_phone_never_scrolls_sideways(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    try:
        errors: list[str] = []
        page = watched(context.new_page(), errors)
        for url in PAGES:
            errors.clear()
            answer = page.goto(url)
            if url == "/":
                page.wait_for_selector("#timeline [data-slug]")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, (url, width)
            # The missing event's page is itself the 404 the console reports; nothing else is.
            expected = ["404 (Not Found)"] if answer.status == 404 else []
            assert [e[-len("404 (Not Found)") :] for e in errors] == expected, (url, errors)
    finally:
        context.close()
