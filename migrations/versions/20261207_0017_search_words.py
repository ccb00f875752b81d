"""search words: the index's words listed one by one, without counting their events

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 03:00:00

`event_fts_vocab` (migration 0016, an fts5vocab table of type "row") counts each word's
events as it lists the word: looking up the words "talks" begins read the list of `talks`
whole, 12 ms at 1M events. An fts5vocab table of type "instance" lists every occurrence
instead, from any word on: asked for the first occurrence of the first word from some
point, it reads one entry, so the words a prefix begins are found one lookup each
(`app.events.search.expand`, 0.5 ms for "talks" at 1M). It replaces the other.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS event_fts_vocab")
        op.execute("CREATE VIRTUAL TABLE event_fts_words USING fts5vocab(event_fts, instance)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS event_fts_words")
        op.execute("CREATE VIRTUAL TABLE event_fts_vocab USING fts5vocab(event_fts, row)")
