"""Names and titles an editor typed are drawn as text on the timeline, never as markup: a lane
named like a link, and a title holding tags, show their characters and make no element."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.factory import Factory
from tests.support.servers import LiveServer, seeded_server
from tests.support.timeline import VIEWPORTS, new_page, wait_drawn

LANE = '<a href="https://example.org">x</a>'
TITLE = '<img src="https://example.org/x.png"><b>Bold</b> claim'


@pytest.fixture(scope="module")
def marked_up(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own, whose one extra event belongs to a side named like a link."""
    with seeded_server(tmp_path_factory.mktemp("markup")) as server:
        factory = Factory(server.database)
        side = factory.actor(name=LANE, kind="state")
        factory.event(
            title=TITLE,
            kind="statement",
            start_date="2026-01-25",
            participants=[{"actor": side, "role": "party"}],
        )
        yield server


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_lane_named_like_a_link_and_a_title_with_tags_stay_text(
    browser: Any, marked_up: LiveServer, viewport: str
) -> None:
    context, page, errors = new_page(browser, marked_up.url, viewport)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto("/?start=2026-01-20&end=2026-02-03")
        wait_drawn(page)
        timeline = page.locator("#timeline")
        timeline.locator(".item-title", has_text="Bold").first.wait_for()
        # No element came out of the names: no link, no image, no bold.
        assert timeline.locator("a[href^='https://example.org'], img, b").count() == 0
        titles = timeline.locator(".item-title").all_inner_texts()
        assert TITLE in [" ".join(title.split()) for title in titles]
        lane_names = timeline.locator(".vis-label, .vtl-lane").all_inner_texts()
        assert LANE in [name.strip() for name in lane_names]
    finally:
        context.close()
    assert errors == []
    assert [url for url in requests if "example.org" in url] == []
