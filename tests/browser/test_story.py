"""The story view in a real Chromium, at laptop and phone widths: stepping by key and by link
changes the address and announces the event; no JavaScript needed; axe finds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from app.events import service as event_service
from app.events.schemas import EventCreate
from tests.support.browser import axe_violations, watched
from tests.support.servers import LiveServer, seeded_server

WIDTHS = {"laptop": (1366, 800), "phone": (360, 740)}
ORIGINAL = "2026-01-29-peskov-in-his-own-words"


@pytest.fixture(scope="module")
def story_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The seed timeline and one more event whose quote has its Russian original (the
    shared server keeps the seed alone: other tests count its events)."""
    with seeded_server(tmp_path_factory.mktemp("story")) as server:
        data = EventCreate(
            slug=ORIGINAL,
            title="Peskov, in his own words",
            kind="statement",
            start_date=dt.date(2026, 1, 29),
            participants=[{"actor": "dmitry-peskov", "role": "speaker"}],
            sources=[
                {
                    "url": "https://example.org/peskov-original",
                    "publisher": "Example Wire",
                    "quote": "Work lies ahead.",
                    "original_quote": "Впереди работа.",
                    "original_language": "ru",
                    "speaker": "dmitry-peskov",
                }
            ],
        )
        with server.database.session(write=True) as session:
            event_service.create(session, data=data, author="test")
        yield server


@pytest.fixture(params=list(WIDTHS))
def story_page(request: Any, browser: Any, story_server: LiveServer) -> Iterator[Any]:
    width, height = WIDTHS[request.param]
    context = browser.new_context(
        base_url=story_server.url,
        viewport={"width": width, "height": height},
        is_mobile=width < 500,
        reduced_motion="reduce",
    )
    context.set_default_timeout(15_000)
    errors: list[str] = []
    yield watched(context.new_page(), errors)
    context.close()
    assert errors == []


def test_arrow_keys_step_change_the_address_and_announce_the_event(story_page: Any) -> None:
    page = story_page
    page.goto("/story?actor=dmitry-peskov&event=peskov-next-round-next-week-2026-01-26")
    page.wait_for_selector(".story-keys:not([hidden])")
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/story?actor=dmitry-peskov&event=kremlin-announces-round-2")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(f"**/story?actor=dmitry-peskov&event={ORIGINAL}")
    heading = page.locator("#story-title")
    assert heading.inner_text() == "Peskov, in his own words"
    assert page.evaluate("document.activeElement.id") == "story-title"
    announce = page.locator("#story-announce").inner_text()
    assert "Event 3 of 3 matching the filters" in announce
    assert "Peskov, in his own words" in announce and "Jan 29, 2026" in announce
    assert page.title().startswith("Peskov, in his own words")
    assert page.locator("a[rel=next]").count() == 0
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**event=kremlin-announces-round-2")
    assert "Event 2 of 3" in page.locator("#story-announce").inner_text()
    # The browser's Back brings the earlier step back, as it would with plain links.
    page.go_back()
    expect(page.locator("#story-title")).to_have_text("Peskov, in his own words")
    assert page.url.endswith(f"event={ORIGINAL}")
    # Keys typed into a field are the field's, not steps.
    page.goto("/story?event=abu-dhabi-talks-round-1")
    page.wait_for_selector(".story-keys:not([hidden])")
    page.locator("#main").focus()
    page.keyboard.press("Shift+ArrowRight")
    assert page.url.endswith("event=abu-dhabi-talks-round-1")


def test_the_story_is_usable_by_keyboard_alone(story_page: Any) -> None:
    page = story_page
    page.goto("/story")
    page.wait_for_selector(".story-keys:not([hidden])")
    page.locator("a[rel=next]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/story?event=abu-dhabi-talks-round-1")
    assert page.evaluate("document.activeElement.id") == "story-title"
    # The strip's marks are links too: Tab reaches them, Enter steps there.
    page.locator(".story-strip a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/story?event=witkoff-davos-a-lot-of-progress")
    assert page.locator("[aria-current=step]").count() == 1


def test_the_story_and_event_pages_pass_axe_and_fit_the_width(story_page: Any) -> None:
    page = story_page
    width = page.viewport_size["width"]
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for url in (
            "/story",
            f"/story?event={ORIGINAL}&q=peskov",
            f"/events/{ORIGINAL}",
            "/events/abu-dhabi-talks-round-1",
            "/?q=peskov",
        ):
            page.goto(url)
            violations = axe_violations(page)
            assert violations == [], (
                url,
                scheme,
                [(v["id"], v["nodes"][0]["target"]) for v in violations],
            )
            assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    page.goto(f"/story?event={ORIGINAL}")
    original = page.locator('blockquote[lang="ru"]')
    assert original.inner_text() == "“Впереди работа.”"
    english = page.locator(".quote-version").first.bounding_box()
    beside = page.locator(".quote-original").bounding_box()
    # Side by side on a laptop; one above the other on a phone.
    if width > 1000:
        assert beside["x"] > english["x"] and abs(beside["y"] - english["y"]) < 5
    else:
        assert beside["y"] > english["y"]


def test_without_javascript_every_step_is_a_link(browser: Any, story_server: LiveServer) -> None:
    context = browser.new_context(base_url=story_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/story?kind=talks")
        assert page.locator(".story-keys").is_hidden()
        assert page.locator("#story-title").inner_text() == "Trilateral consultations in Abu Dhabi"
        page.locator("a[rel=next]").click()
        page.wait_for_url("**/story?kind=talks&event=abu-dhabi-talks-round-2")
        assert page.locator("#story-position").inner_text() == "Event 2 of 2 matching the filters"
        assert page.locator("a[rel=next]").count() == 0
    finally:
        context.close()


def test_printing_leaves_out_the_controls(story_page: Any) -> None:
    page = story_page
    page.goto("/story?event=abu-dhabi-talks-round-1")
    page.emulate_media(media="print")
    assert page.locator(".story-steps").is_hidden()
    assert page.locator(".story-strip").is_hidden()
    assert page.locator("#story-title").is_visible()
