"""indexes for filtered lists: kind in date order, and events still running on a date

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 20:30:00

ix_event_kind_starts_at_id replaces ix_event_kind (its first column serves the same
lookups) and lets a kind filter walk the list's order instead of sorting every event of
that kind; ix_event_end_date_start_date answers "which events are still running on the
`from` date" from the index alone. `make bench` measured why (see README, Benchmark).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain CREATE/DROP INDEX, not batch mode: a batch rebuild of `event` on SQLite would
    # drop the full-text triggers of migration 0002.
    op.create_index("ix_event_kind_starts_at_id", "event", ["kind", "starts_at", "id"])
    op.create_index("ix_event_end_date_start_date", "event", ["end_date", "start_date"])
    op.drop_index("ix_event_kind", table_name="event")


def downgrade() -> None:
    op.create_index("ix_event_kind", "event", ["kind"])
    op.drop_index("ix_event_end_date_start_date", table_name="event")
    op.drop_index("ix_event_kind_starts_at_id", table_name="event")
