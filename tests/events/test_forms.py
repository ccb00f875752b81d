"""The event form's parsing and name handling, over a real database."""

from __future__ import annotations

from app.db import Database
from app.events import forms, service
from tests.conftest import Factory


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


def test_the_edit_form_shows_names_but_keeps_slugs_for_shared_names(
    database: Database, make: Factory
) -> None:
    unique = make.actor(name="Rustem Umerov")
    first = make.actor(name="John Smith")
    make.actor(name="John Smith")
    place = make.place(name="Geneva")
    slug = make.event(
        participants=[{"actor": unique, "role": "party"}, {"actor": first, "role": "party"}],
        place=place,
    )
    with database.session() as session:
        snapshot = service.snapshot(service.get_by_slug(session, slug=slug))
        form = forms.from_snapshot(snapshot, forms.display_names(session, snapshot))
        actors = [row["actor"] for row in form.rows["participants"]]
        assert actors == ["Rustem Umerov", first]
        assert form.value("place") == "Geneva"
        # Saving it unchanged names the same records.
        prepared = forms.prepare(session, form)
    assert [p["actor"] for p in prepared.payload["participants"]] == [unique, first]
    assert prepared.payload["place"] == place
    assert form.errors == {}


def test_changes_reads_lists_line_by_line() -> None:
    before = {"title": "A", "participants": [{"actor": "russia", "role": "party"}]}
    after = {
        "title": "B",
        "participants": [
            {"actor": "russia", "role": "party"},
            {"actor": "ukraine", "role": "party"},
        ],
    }
    changed = {c.field: c for c in forms.changes(before, after)}
    assert changed["title"].removed == ["A"] and changed["title"].added == ["B"]
    assert changed["participants"].added == ["ukraine (party)"]
    assert changed["participants"].removed == []


def test_a_name_two_actors_share_is_not_guessed(database: Database, make: Factory) -> None:
    first = make.actor(name="John Smith")
    second = make.actor(name="John Smith")
    form = forms.parse(
        [
            ("title", "Meeting"),
            ("kind", "meeting"),
            ("start_date", "2026-02-01"),
            ("participants-0-actor", "john smith"),
            ("participants-1-actor", second),
        ]
    )
    with database.session() as session:
        prepared = forms.prepare(session, form)
    message = form.errors["participants-0-actor"]
    assert "More than one is called" in message and first in message and second in message
    assert "participants-1-actor" not in form.errors
    assert prepared.payload["participants"][1]["actor"] == second
