"""search prefixes: SQLite's full-text index keeps the words' first one and two letters too

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 20:00:00

Every word of a search is matched as a prefix, and a short one ("s", "ge") matches most
words: FTS5 then merges the lists of every word it begins, for each event it checks. With
`prefix='1 2'` those prefixes have lists of their own, kept as the text is written. The
table is made again with the option and filled from event.search_text; PostgreSQL, whose
GIN index answers prefixes by itself, is left as it is.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRIGGERS = [
    """
    CREATE TRIGGER event_fts_after_insert AFTER INSERT ON event BEGIN
        INSERT INTO event_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
    """
    CREATE TRIGGER event_fts_after_delete AFTER DELETE ON event BEGIN
        INSERT INTO event_fts(event_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END
    """,
    """
    CREATE TRIGGER event_fts_after_update AFTER UPDATE OF search_text ON event BEGIN
        INSERT INTO event_fts(event_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO event_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END
    """,
]


def _remake(options: str) -> None:
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS event_fts_after_{name}")
    op.execute("DROP TABLE IF EXISTS event_fts")
    op.execute(
        "CREATE VIRTUAL TABLE event_fts USING fts5("
        "search_text, content='event', content_rowid='id', "
        f"tokenize='unicode61 remove_diacritics 2'{options})"
    )
    for trigger in _TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO event_fts(event_fts) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _remake(", prefix='1 2'")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _remake("")
