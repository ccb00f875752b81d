"""full-text search over event.search_text

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 20:20:00

SQLite: an FTS5 external-content table over event(search_text), kept in step by triggers.
PostgreSQL: a stored generated tsvector column, event.search_vector =
to_tsvector('simple', search_text), with a GIN index: matching and ranking read it instead
of re-parsing every row's text.
Neither is in the SQLAlchemy metadata (migrations/env.py keeps `alembic check` from
reporting them). A later SQLite batch migration that recreates the event table drops its
triggers: such a migration must create them again (see _SQLITE_TRIGGERS).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_TRIGGERS = [
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


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE event_fts USING fts5("
            "search_text, content='event', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        for trigger in _SQLITE_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO event_fts(event_fts) VALUES ('rebuild')")
    else:
        op.execute(
            "ALTER TABLE event ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple'::regconfig, search_text)) STORED"
        )
        op.execute("CREATE INDEX ix_event_search_vector ON event USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS event_fts_after_{name}")
        op.execute("DROP TABLE IF EXISTS event_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_event_search_vector")
        op.execute("ALTER TABLE event DROP COLUMN IF EXISTS search_vector")
