"""/docs in Chromium: Swagger UI renders our API under the CSP, asking no other host."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from tests.support.browser import Console
from tests.support.servers import LiveServer


def test_docs_render_without_other_hosts(
    page: Any, live_server: LiveServer, console: Console
) -> None:
    hosts: set[str] = set()
    failed: list[str] = []
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page.on(
        "response",
        lambda response: failed.append(response.url) if response.status >= 400 else None,
    )
    page.goto("/docs")
    page.locator(".opblock-summary-path").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/events" in [p.replace("\u200b", "") for p in paths]
    assert hosts == {urlparse(live_server.url).netloc}, hosts
    assert failed == []
    # The browser's own /favicon.ico request (not a page request) is the one allowed miss.
    assert [e for e in console.errors if "status of 404" not in e] == []
