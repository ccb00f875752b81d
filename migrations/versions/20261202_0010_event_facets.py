"""event facets: the records each live event counts for; the timeline's counts from indexes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:30:00

`event_facet` holds one row per live event and place, series, tag or side (the actor who
took part, and the side that actor speaks for unless only mentioned), kept current by
app/events/facet_rows.py; the timeline counts each filter's choices from its index instead
of joining every event. Filled here from the events as they stand.

ix_event_summary lets the timeline's total, first and last dates and counts per kind
and status be read from an index instead of every event's row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILL = (
    "INSERT INTO event_facet (event_id, facet, value_id) "
    "SELECT id, 'place', place_id FROM event "
    "WHERE deleted_at IS NULL AND place_id IS NOT NULL",
    "INSERT INTO event_facet (event_id, facet, value_id) "
    "SELECT id, 'series', series_id FROM event "
    "WHERE deleted_at IS NULL AND series_id IS NOT NULL",
    "INSERT INTO event_facet (event_id, facet, value_id) "
    "SELECT event_tag.event_id, 'tag', event_tag.tag_id FROM event_tag "
    "JOIN event ON event.id = event_tag.event_id WHERE event.deleted_at IS NULL",
    "INSERT INTO event_facet (event_id, facet, value_id) "
    "SELECT sides.event_id, 'actor', sides.value_id FROM ("
    "SELECT participation.event_id AS event_id, participation.actor_id AS value_id "
    "FROM participation "
    "UNION "
    "SELECT participation.event_id, actor.affiliation_id FROM participation "
    "JOIN actor ON actor.id = participation.actor_id "
    "WHERE actor.affiliation_id IS NOT NULL AND participation.role != 'mentioned'"
    ") AS sides JOIN event ON event.id = sides.event_id WHERE event.deleted_at IS NULL",
)


def upgrade() -> None:
    op.create_table(
        "event_facet",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("facet", sa.String(length=8), nullable=False),
        sa.Column("value_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_facet_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "facet", "value_id", name=op.f("pk_event_facet")),
    )
    op.create_index("ix_event_facet_facet_value_id", "event_facet", ["facet", "value_id"])
    # Plain CREATE INDEX, not batch mode (which would drop 0002's full-text triggers).
    op.create_index(
        "ix_event_summary", "event", ["kind", "status", "start_date", "end_date", "deleted_at"]
    )
    for statement in FILL:
        op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_event_summary", table_name="event")
    op.drop_index("ix_event_facet_facet_value_id", table_name="event_facet")
    op.drop_table("event_facet")
