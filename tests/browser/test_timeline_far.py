"""An event centuries from the others (a plan dated 3026, a year mistyped) still leaves a
timeline to read: "Fit all" spans both, and every window the page asks for is answered."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.events import service
from app.events.schemas import EventCreate
from tests.support.servers import LiveServer, seeded_server
from tests.support.timeline import new_page, wait_drawn


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own: the far event would change other tests' windows."""
    with seeded_server(tmp_path_factory.mktemp("far")) as server:
        with server.database.session(write=True) as session:
            far = {
                "title": "Talks a thousand years on",
                "kind": "talks",
                "start_date": "3026-03-01",
            }
            service.create(session, data=EventCreate.model_validate(far), author="test")
        yield server


@pytest.mark.parametrize("viewport", ["laptop", "phone"])
def test_a_far_event_leaves_a_timeline_to_read(
    browser: Any, live_server: LiveServer, viewport: str
) -> None:
    context, page, errors = new_page(browser, live_server.url, viewport)
    answers: list[int] = []
    page.on(
        "response",
        lambda response: (
            answers.append(response.status) if "/api/v1/timeline" in response.url else None
        ),
    )
    try:
        page.goto("/")
        wait_drawn(page)
        status = page.locator("#timeline-status").inner_text()
        assert "could not load" not in status and "8 events" in status, status
        window = page.evaluate("() => Object.fromEntries(new URLSearchParams(location.search))")
        assert window["start"] < "2026-01-20" and window["end"] > "3026-03-01", window
        assert answers and all(code == 200 for code in answers), answers
    finally:
        context.close()
    assert errors == []
