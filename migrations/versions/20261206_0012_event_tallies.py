"""event tallies: every filter choice counted, kept on write; kinds and statuses as choices

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 19:00:00

`event_facet` gains a row per live event for its kind and its status (value_id: the name's
CRC-32 in 31 bits, as app/events/facet_rows.code makes it), and `event_tally` holds how many
rows each (facet, value_id) has, kept current by app/events/tallies.py: the unfiltered
timeline's counts and total read a few hundred rows instead of every event.
"""

import zlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The kinds and statuses as they stand at this revision.
NAMES = {
    "kind": ("talks", "meeting", "call", "statement", "proposal", "agreement", "other"),
    "status": ("held", "scheduled", "tentative", "postponed", "cancelled"),
}


def _code(name: str) -> int:
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def upgrade() -> None:
    op.create_table(
        "event_tally",
        sa.Column("facet", sa.String(length=8), nullable=False),
        sa.Column("value_id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("facet", "value_id", name=op.f("pk_event_tally")),
    )
    for facet, names in NAMES.items():
        coded = " ".join(f"WHEN '{name}' THEN {_code(name)}" for name in names)
        op.execute(
            "INSERT INTO event_facet (event_id, facet, value_id) "
            f"SELECT id, '{facet}', CASE {facet} {coded} END FROM event "
            "WHERE deleted_at IS NULL"
        )
    op.execute(
        "INSERT INTO event_tally (facet, value_id, n) "
        "SELECT facet, value_id, count(*) FROM event_facet GROUP BY facet, value_id"
    )


def downgrade() -> None:
    op.drop_table("event_tally")
    op.execute("DELETE FROM event_facet WHERE facet IN ('kind', 'status')")
