"""Images in a real Chromium: an editor uploads one through the event form, and readers see it
with its alt text, caption and credit on the event page and in the timeline's detail panel, on
a laptop and on a phone; axe finds nothing wrong with an event page that has images."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from app.users import service as user_service
from tests.support.browser import Console, axe_violations
from tests.support.images import image_bytes
from tests.support.servers import LiveServer, seeded_server

PASSWORD = "correct horse battery"
WIDTHS = (1366, 360)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own: the event added here would change other tests' counts."""
    with seeded_server(tmp_path_factory.mktemp("media"), secret_key="media-test-secret") as server:
        yield server


def _sign_in(page: Any, live_server: LiveServer) -> None:
    name = f"ed{uuid.uuid4().hex[:8]}"
    with live_server.database.session(write=True) as session:
        user_service.create(session, username=name, password=PASSWORD)
    page.goto("/events/new")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/events/new")


def _image_shown(scope: Any, alt: str) -> dict[str, Any]:
    """The image with this alt text in `scope`, once loaded: its size on screen and in pixels."""
    image = scope.get_by_role("img", name=alt)
    image.scroll_into_view_if_needed()
    image.evaluate("img => img.decode()")
    box: dict[str, Any] = image.evaluate(
        "img => ({natural: img.naturalWidth, shown: img.getBoundingClientRect().width,"
        " right: img.getBoundingClientRect().right, viewport: window.innerWidth,"
        " caption: img.closest('figure').querySelector('figcaption').textContent.trim()})"
    )
    return box


def test_an_uploaded_image_shows_with_its_words_on_the_page_and_in_the_panel(
    page: Any, live_server: LiveServer, console: Console
) -> None:
    _sign_in(page, live_server)
    page.get_by_role("textbox", name="Title (required)").fill("Delegations meet in Geneva")
    page.get_by_label("Kind", exact=True).select_option("talks")
    page.get_by_label("Start date").fill("2026-02-17")
    page.get_by_label("Image file").set_input_files(
        files=[
            {
                "name": "geneva.jpg",
                "mimeType": "image/jpeg",
                "buffer": image_bytes("JPEG", width=1200, height=600),
            }
        ]
    )
    alt = "Two delegations facing each other across a long table"
    page.get_by_label("Alt text for the new image").fill(alt)
    page.locator("#new_media_credit").fill("Photo: Pool")
    page.locator("#new_media_caption").fill("The opening session")
    page.get_by_role("button", name="Save event").click()
    page.wait_for_url("**/events/2026-02-17-delegations-meet-in-geneva?saved=1")
    slug = "2026-02-17-delegations-meet-in-geneva"

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/events/{slug}")
        shown = _image_shown(page.locator("article.event-page"), alt)
        assert shown["natural"] == 1200
        assert shown["caption"] == "The opening session · Photo: Pool"
        # As wide as the column allows, never wider than the screen.
        assert shown["shown"] > 0 and shown["right"] <= shown["viewport"], (width, shown)
        assert axe_violations(page) == [], width

        page.goto(f"/?event={slug}")
        panel = page.locator("#event-detail")
        panel.get_by_role("heading", name="Delegations meet in Geneva").wait_for()
        in_panel = _image_shown(panel, alt)
        assert in_panel["natural"] == 1200
        assert in_panel["caption"] == "The opening session · Photo: Pool"
        assert in_panel["right"] <= in_panel["viewport"], (width, in_panel)
    assert console.errors == []


def test_an_image_too_large_for_the_form_is_named_before_anything_is_sent(
    page: Any, live_server: LiveServer, console: Console
) -> None:
    _sign_in(page, live_server)
    title = page.get_by_role("textbox", name="Title (required)")
    title.fill("Kept as typed")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.method))
    page.get_by_label("Image file").set_input_files(
        files=[{"name": "huge.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * (11 << 20)}]
    )
    error = page.locator("#new_media_file-size-error")
    error.wait_for()
    assert "11.0 MiB" in error.inner_text() and "at most 10 MiB" in error.inner_text()
    assert page.get_by_label("Image file").get_attribute("aria-invalid") == "true"
    page.get_by_role("button", name="Save event").click()
    page.wait_for_timeout(300)
    # Nothing was sent: the form, and what was typed in it, stay.
    assert "POST" not in requests
    assert page.url.endswith("/events/new") and title.input_value() == "Kept as typed"
