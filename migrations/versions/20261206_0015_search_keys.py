"""search keys: SQLite's full-text index hands out its matches in date order

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 22:00:00

FTS5 keeps each word's list of rows in the order of their rowids, and reads it in that order
or backwards, from any rowid on. With the event's id as the rowid, a search in date order
had to collect every match first (the set grows with the collection: 30,000 ids for a word
on 3% of a million events) and then walk the date index against it. Here the rowid becomes
`event.search_key`, the day the event starts (its Julian day number) in the high bits and
its id in the low 32: a virtual generated column, computed from the row, indexed. A search
then reads its first page from the front of the word's list, and a later page from the day
its cursor names (`app.events.listing`). Event ids stay below 2^31 (the cursor's range), so
keys never collide. PostgreSQL, which walks the date index in batches, is left as it is.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The key as SQLite computes it: date() reads the day from the stored text exactly, and
#: julianday() of a midnight is that day's number and a half, which CAST truncates.
SEARCH_KEY = "(CAST(julianday(date(starts_at)) AS INTEGER) << 32) + id"

_OPTIONS = "tokenize='unicode61 remove_diacritics 2', prefix='1 2'"


def _triggers(key: str) -> list[str]:
    # An event moved to another day moves in the index too: its key changes with starts_at.
    watched = "search_text, starts_at" if key == "search_key" else "search_text"
    return [
        f"""
        CREATE TRIGGER event_fts_after_insert AFTER INSERT ON event BEGIN
            INSERT INTO event_fts(rowid, search_text) VALUES (new.{key}, new.search_text);
        END
        """,
        f"""
        CREATE TRIGGER event_fts_after_delete AFTER DELETE ON event BEGIN
            INSERT INTO event_fts(event_fts, rowid, search_text)
            VALUES ('delete', old.{key}, old.search_text);
        END
        """,
        f"""
        CREATE TRIGGER event_fts_after_update AFTER UPDATE OF {watched} ON event BEGIN
            INSERT INTO event_fts(event_fts, rowid, search_text)
            VALUES ('delete', old.{key}, old.search_text);
            INSERT INTO event_fts(rowid, search_text) VALUES (new.{key}, new.search_text);
        END
        """,
    ]


def _remake(key: str) -> None:
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS event_fts_after_{name}")
    op.execute("DROP TABLE IF EXISTS event_fts")
    op.execute(
        "CREATE VIRTUAL TABLE event_fts USING fts5("
        f"search_text, content='event', content_rowid='{key}', {_OPTIONS})"
    )
    for trigger in _triggers(key):
        op.execute(trigger)
    op.execute("INSERT INTO event_fts(event_fts) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"ALTER TABLE event ADD COLUMN search_key INTEGER GENERATED ALWAYS AS ({SEARCH_KEY})"
    )
    op.execute("CREATE UNIQUE INDEX ix_event_search_key ON event (search_key)")
    _remake("search_key")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _remake("id")
    op.execute("DROP INDEX ix_event_search_key")
    op.execute("ALTER TABLE event DROP COLUMN search_key")
