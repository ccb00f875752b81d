"""search choices: SQLite's full-text index holds each live event's filter choices too

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 08:00:00

A search with several values chosen (`q=russia&actor=ukraine&place=geneva&kind=talks`) read
every match of its words and looked each up among the values' rows (`event_facet`), or read
every event of the rarest value and looked each up in the words' lists: 20-30 ms a statement
at 100k events when few events have them all, and a timeline page makes one per facet set.
FTS5 intersects the lists of the terms of one query by skipping through them (each list
keeps an index of its own): with the choices in the index as terms of a second column,
`event.search_choices` ("ϙkind1193443802 ϙplace6 ..."), words and values are one query,
read in date order and stopping at its LIMIT (the same counts in 2 ms). The column is made
from the event's `event_facet` rows of the filter choices (app/events/facet_rows.py keeps
it), is empty for a deleted event, and is never searched by words: every search names its
column. PostgreSQL, whose planner combines its indexes by itself, is left as it is.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPTIONS = "tokenize='unicode61 remove_diacritics 2', prefix='1 2'"
#: What app/events/facet_rows.py writes: a term per filter choice ("ϙ", the facet, the id).
_CHOICES = """
    UPDATE event SET search_choices = coalesce((
        SELECT group_concat('ϙ' || facet || value_id, ' ') FROM event_facet
        WHERE event_facet.event_id = event.id
        AND facet IN ('kind', 'status', 'place', 'series', 'tag', 'actor')
    ), '')
"""


def _remake(columns: Sequence[str]) -> None:
    listed = ", ".join(columns)
    new = ", ".join(f"new.{name}" for name in columns)
    old = ", ".join(f"old.{name}" for name in columns)
    op.execute("DROP TABLE IF EXISTS event_fts_words")
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS event_fts_after_{name}")
    op.execute("DROP TABLE IF EXISTS event_fts")
    op.execute(
        f"CREATE VIRTUAL TABLE event_fts USING fts5({listed}, content='event', "
        f"content_rowid='search_key', {_OPTIONS})"
    )
    op.execute(
        f"""
        CREATE TRIGGER event_fts_after_insert AFTER INSERT ON event BEGIN
            INSERT INTO event_fts(rowid, {listed}) VALUES (new.search_key, {new});
        END
        """
    )
    op.execute(
        f"""
        CREATE TRIGGER event_fts_after_delete AFTER DELETE ON event BEGIN
            INSERT INTO event_fts(event_fts, rowid, {listed})
            VALUES ('delete', old.search_key, {old});
        END
        """
    )
    op.execute(
        f"""
        CREATE TRIGGER event_fts_after_update AFTER UPDATE OF {listed}, starts_at ON event BEGIN
            INSERT INTO event_fts(event_fts, rowid, {listed})
            VALUES ('delete', old.search_key, {old});
            INSERT INTO event_fts(rowid, {listed}) VALUES (new.search_key, {new});
        END
        """
    )
    op.execute("INSERT INTO event_fts(event_fts) VALUES ('rebuild')")
    op.execute("CREATE VIRTUAL TABLE event_fts_words USING fts5vocab(event_fts, instance)")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("ALTER TABLE event ADD COLUMN search_choices TEXT NOT NULL DEFAULT ''")
    op.execute(_CHOICES)
    _remake(("search_text", "search_choices"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _remake(("search_text",))
    op.execute("ALTER TABLE event DROP COLUMN search_choices")
