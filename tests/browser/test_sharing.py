"""Sharing in a real Chromium: the TimelineJS export opened in Knight Lab's TimelineJS3, the
embed framed by another site (and the full page refusing to be), and the Embed control and
the downloads following the filters."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.support.browser import Console
from tests.support.servers import LiveServer
from tests.support.static_site import serving

TIMELINEJS = Path(__file__).parent / "timelinejs"


@pytest.fixture(scope="module")
def other_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Another origin: TimelineJS's files, and a page for framing."""
    folder = tmp_path_factory.mktemp("other-site")
    for path in TIMELINEJS.rglob("*"):
        if path.is_file():
            target = folder / "timelinejs" / path.relative_to(TIMELINEJS)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    with serving(folder) as url:
        yield folder, url


def test_the_timelinejs_export_opens_in_timelinejs(
    page: Any, live_server: LiveServer, other_site: Any, console: Console
) -> None:
    _, site = other_site
    export = f"{live_server.url}/api/v1/timelinejs.json"
    slides = live_server.api().get(export).json()["events"]
    assert slides
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto(f"{site}/timelinejs/index.html?json={quote(export)}")
    page.wait_for_selector("body[data-ready=true]")
    for slide in slides:
        # TimelineJS gives each slide the event's unique_id, and draws its headline.
        drawn = page.locator(f".tl-slide[id={json.dumps(slide['unique_id'])}]")
        assert drawn.count() == 1, slide["unique_id"]
        assert drawn.locator(".tl-headline").count() == 1
    assert page.locator(".tl-timemarker").count() == len(slides)
    title = page.locator(".tl-slide-titleslide .tl-headline").inner_text()
    assert title == "Parley"
    assert not missing
    assert not console.errors


def _frame_page(folder: Path, name: str, src: str) -> str:
    (folder / f"{name}.html").write_text(
        f'<!doctype html><title>{name}</title><iframe src="{src}" width="900" height="600"'
        f' title="framed"></iframe>'
    )
    return f"{name}.html"


def test_another_site_may_frame_the_embed_only(
    page: Any, live_server: LiveServer, other_site: Any
) -> None:
    folder, site = other_site
    embed = _frame_page(folder, "embed", f"{live_server.url}/embed?kind=talks&lanes=kind")
    page.goto(f"{site}/{embed}")
    frame = page.frame_locator("iframe")
    frame.locator("#timeline [data-slug]").first.wait_for()
    labels = frame.locator("#timeline .vis-label").all_inner_texts()
    assert [label.strip() for label in labels] == ["Talks"]
    back = frame.locator(".embed-credit a")
    assert back.get_attribute("target") is None  # <base target=_top> opens it outside
    assert "kind=talks" in (back.get_attribute("href") or "")

    full = _frame_page(folder, "full", f"{live_server.url}/?kind=talks")
    page.goto(f"{site}/{full}")
    page.wait_for_load_state("load")
    framed = page.frames[1]
    # A refused frame stays empty: the timeline page never renders inside another site.
    assert framed.locator("#timeline").count() == 0


def test_the_embed_control_and_downloads_follow_the_filters(page: Any, console: Console) -> None:
    page.goto("/")
    page.wait_for_selector("#timeline [data-slug]")
    page.locator("#embed summary").click()
    snippet = page.locator("#embed-snippet")
    assert "/embed" in snippet.input_value()
    page.get_by_role("checkbox", name=re.compile(r"^Talks")).check()
    page.wait_for_function("() => location.search.includes('kind=talks')")
    page.wait_for_function(
        "() => document.querySelector('#embed-snippet').value.includes('kind=talks')"
    )
    csv = page.locator("#take-away a[data-export=csv]").get_attribute("href")
    assert csv == "/api/v1/events.csv?kind=talks"
    alternate = page.locator("link[rel=alternate][type='text/csv']").get_attribute("href")
    assert alternate == csv
    assert "kind=talks" in (
        page.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href") or ""
    )
    # The snippet embeds what is shown: the embed it names draws the same filters.
    src = snippet.input_value().split('src="')[1].split('"')[0].replace("&amp;", "&")
    page.goto(src)
    page.wait_for_selector("#timeline [data-slug]")
    assert not console.errors
