"""What browser tests share: what the page said on its console, and axe's verdict on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.sync_playwright import Axe


@dataclass
class Console:
    """What the page said on its console: errors fail the tests that check."""

    errors: list[str] = field(default_factory=list)


def watched(page: Any, errors: list[str]) -> Any:
    """The page, its console errors and uncaught exceptions appended to `errors`."""
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (axe is injected by the test, not the app)."""
    results = Axe().run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations
