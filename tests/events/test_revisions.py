"""What changed between two versions of an event, as the history shows it."""

from __future__ import annotations

from typing import Any

from app.core.database import Database
from app.events import revisions
from tests.support.factory import Factory


def test_changes_reads_lists_line_by_line() -> None:
    before = {"title": "A", "participants": [{"actor": "russia", "role": "party"}]}
    after = {
        "title": "B",
        "participants": [
            {"actor": "russia", "role": "party"},
            {"actor": "ukraine", "role": "party"},
        ],
    }
    changed = {c.field: c for c in revisions.changes(before, after)}
    assert changed["title"].removed == ["A"] and changed["title"].added == ["B"]
    assert changed["participants"].added == ["ukraine (party)"]
    assert changed["participants"].removed == []


def test_topics_in_another_order_are_no_change(
    client: Any, database: Database, make: Factory, auth: dict[str, str]
) -> None:
    names = ["Zaporizhzhia NPP", "Territories", "20-point plan"]
    slugs = [make.tag(name=name) for name in names]
    slug = make.event(title="Talks", tags=slugs)
    etag = client.get(f"/api/v1/events/{slug}").headers["etag"]
    # A form or a client that sends the same topics in another order, and a new title.
    client.patch(
        f"/api/v1/events/{slug}",
        headers={**auth, "If-Match": etag},
        json={"title": "Talks resumed", "tags": list(reversed(slugs))},
    ).raise_for_status()
    first, second = (
        client.get(f"/api/v1/events/{slug}/revisions/{version}").json()["snapshot"]
        for version in (1, 2)
    )
    assert [c.field for c in revisions.changes(first, second)] == ["title"]
    # Kept in the order the event shows them, whatever order the write gave.
    shown = [tag["slug"] for tag in client.get(f"/api/v1/events/{slug}").json()["tags"]]
    assert second["tags"] == shown == sorted(slugs, key=lambda s: names[slugs.index(s)])
