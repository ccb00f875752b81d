"""Names as editors type them, over a real database: shown where clear, never guessed."""

from __future__ import annotations

from app.core.database import Database
from app.events import forms, naming, reading, revisions
from tests.support.factory import Factory


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
        snapshot = revisions.snapshot(reading.get_by_slug(session, slug=slug))
        form = forms.from_snapshot(snapshot, naming.display_names(session, snapshot))
        actors = [row["actor"] for row in form.rows["participants"]]
        assert actors == ["Rustem Umerov", first]
        assert form.value("place") == "Geneva"
        # Saving it unchanged names the same records.
        prepared = naming.prepare(session, form)
    assert [p["actor"] for p in prepared.payload["participants"]] == [unique, first]
    assert prepared.payload["place"] == place
    assert form.errors == {}


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
        prepared = naming.prepare(session, form)
    message = form.errors["participants-0-actor"]
    assert "More than one is called" in message and first in message and second in message
    assert "participants-1-actor" not in form.errors
    assert prepared.payload["participants"][1]["actor"] == second
