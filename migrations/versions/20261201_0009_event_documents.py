"""event documents: each event's answer kept as JSON; planned events by status and date

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 20:00:00

`event_document` holds each event's answer as the exact bytes `GET /api/v1/events/{slug}`
sends (see app/events/documents.py), so a list page is a range read and a join of bytes;
beside it the event's row of the CSV export, for the same reason.
The table starts empty: `parley db upgrade` and `parley serve` make the documents after
migrating (the app's own renderer, not a copy frozen here), and until then an event without
one is answered by building it, never from a wrong document.

ix_event_status_starts_at_id lets "Upcoming" seek the planned events from today in date
order instead of reading every planned event ever and sorting them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_document",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("shape", sa.String(length=16), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("overdue_from", sa.Date(), nullable=True),
        sa.Column("overdue_body", sa.LargeBinary(), nullable=True),
        sa.Column("csv_row", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_document_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_document")),
    )
    # Plain CREATE INDEX, not batch mode: a batch rebuild of `event` on SQLite would drop
    # the full-text triggers of migration 0002.
    op.create_index("ix_event_status_starts_at_id", "event", ["status", "starts_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_event_status_starts_at_id", table_name="event")
    op.drop_table("event_document")
