"""What changed between two versions of an event, as the history shows it."""

from __future__ import annotations

from app.events import revisions


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
