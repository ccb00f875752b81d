"""The browser meets a styled, accessible error page and a strict Content-Security-Policy."""

from __future__ import annotations

from typing import Any

from tests.support.browser import Console, axe_violations


def test_not_found_page_is_styled_and_accessible(page: Any, console: Console) -> None:
    response = page.goto("/no-such-page")
    assert response.status == 404
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("h1").inner_text() == "Not found"
    assert page.get_by_role("link", name="Back to the timeline").is_visible()
    # The stylesheet applied: the skip link is moved off-screen until focused.
    assert page.locator(".skip-link").bounding_box()["x"] < 0
    assert axe_violations(page) == []
    assert [e for e in console.errors if "404" not in e] == []
