"""What the timeline browser tests measure on the page: whether each drawn title can be read
where it is drawn, where each event stands, and the two widths a reader brings."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from tests.support.browser import watched

#: The widths the issue names: a laptop and a phone (width, height, is_mobile).
VIEWPORTS = {"laptop": (1366, 768, False), "phone": (360, 740, True)}

PROBES = (Path(__file__).parent / "timeline_probes.js").read_text()


def probe(page: Any, name: str) -> Any:
    """What one of timeline_probes.js's functions measures in the page now."""
    return page.evaluate(f"() => {{ {PROBES}\n return {name}(); }}")


def wait_for_probe(page: Any, condition: str, timeout: int = 3_000) -> None:
    """Poll a condition on the probes for a moment; the test's assertion says what is wrong."""
    with contextlib.suppress(Exception):
        page.wait_for_function(f"() => {{ {PROBES}\n return {condition}; }}", timeout=timeout)


def new_page(browser: Any, base_url: str, viewport: str) -> tuple[Any, Any, list[str]]:
    """A fresh context at one of VIEWPORTS, and the errors its page reports."""
    width, height, mobile = VIEWPORTS[viewport]
    context = browser.new_context(
        base_url=base_url, viewport={"width": width, "height": height}, is_mobile=mobile
    )
    context.set_default_timeout(15_000)
    errors: list[str] = []
    return context, watched(context.new_page(), errors), errors


def wait_drawn(page: Any) -> None:
    """Until the timeline has answered for its window and drawn it."""
    page.wait_for_function(
        "() => /event/.test(document.querySelector('#timeline-status').textContent)"
        " && !document.querySelector('#timeline').hasAttribute('aria-busy')"
    )
    settle(page)


def settle(page: Any) -> None:
    """A few animation frames: vis-timeline places its items, and then their labels, on them."""
    page.evaluate(
        "() => new Promise(r => { let n = 4; const f = () => --n ? requestAnimationFrame(f) : r();"
        " requestAnimationFrame(f); })"
    )


def unreadable_titles(page: Any) -> list[Any]:
    """Each drawn title that is cut or drawn outside the timeline, with where and why."""
    problems: list[Any] = probe(page, "unreadableTitles")
    return problems


def drawn_titles(page: Any) -> list[str]:
    """The titles of the events drawn in view (not those out of the window or in a cluster)."""
    titles: list[str] = probe(page, "drawnTitles")
    return [" ".join(title.split()) for title in titles]
