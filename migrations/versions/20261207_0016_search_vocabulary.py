"""search vocabulary: SQLite's full-text index lists its words, for searches to spell out

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 02:00:00

Every word of a search is matched as a prefix. FTS5 answers a prefix by merging the lists of
every word it begins into one list in memory before it hands out the first match, whatever
the LIMIT: about 1 ms for "talks" in 100k events, paid again by each of the dozen statements
a filtered timeline page makes. A word's own list is read lazily instead, from any key on.
`event_fts_vocab` (an fts5vocab table: it stores nothing, it reads the index) says which words
of the index a prefix begins, so a search can name them (`app.events.search.expand`).
PostgreSQL, whose GIN index answers prefixes by itself, is left as it is.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE event_fts_vocab USING fts5vocab(event_fts, row)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS event_fts_vocab")
