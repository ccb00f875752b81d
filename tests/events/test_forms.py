"""The event form: what a browser sends, parsed as typed."""

from __future__ import annotations

from app.events import forms


def test_parse_keeps_rows_in_order_and_as_typed() -> None:
    form = forms.parse(
        [
            ("title", "  Talks "),
            ("participants-1-actor", "Russia"),
            ("participants-0-actor", "Ukraine"),
            ("participants-0-role", "party"),
            ("participants-999-actor", "ignored: too many rows"),
            ("date_approximate", "1"),
            ("unknown", "dropped"),
        ]
    )
    assert form.value("title") == "  Talks "
    assert [row["actor"] for row in form.rows["participants"]] == ["Ukraine", "Russia"]
    assert form.checked("date_approximate")
    assert "unknown" not in form.values
