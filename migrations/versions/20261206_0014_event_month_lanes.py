"""event month lanes: each live event's month, by side and by kind, among its choice rows

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 21:00:00

`event_facet` gains two rows per live event: "p" and its month (`p202601`) with the side it
speaks for (the side's id, -1 for several sides, 0 for none named), and "k" and its month
with its kind's code; `event_tally` counts them too, so the timeline counted per month or
year reads the tallies of the window's months (app/events/facet_rows.py keeps the rows).
"""

import zlib
from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("talks", "meeting", "call", "statement", "proposal", "agreement", "other")

SIDES = (
    "SELECT participation.event_id AS event_id, "
    "CASE WHEN count(DISTINCT coalesce(actor.affiliation_id, actor.id)) > 1 THEN -1 "
    "ELSE min(coalesce(actor.affiliation_id, actor.id)) END AS side_id "
    "FROM participation JOIN actor ON actor.id = participation.actor_id "
    "WHERE participation.role IN ('party', 'speaker', 'delegate') "
    "GROUP BY participation.event_id"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        month = "to_char(event.start_date, 'YYYYMM')"
    else:
        month = "strftime('%Y%m', event.start_date)"
    coded = " ".join(f"WHEN '{k}' THEN {zlib.crc32(k.encode()) & 0x7FFFFFFF}" for k in KINDS)
    op.execute(
        "INSERT INTO event_facet (event_id, facet, value_id) "
        f"SELECT event.id, 'p' || {month}, coalesce(sides.side_id, 0) FROM event "
        f"LEFT OUTER JOIN ({SIDES}) AS sides ON sides.event_id = event.id "
        "WHERE event.deleted_at IS NULL"
    )
    op.execute(
        "INSERT INTO event_facet (event_id, facet, value_id) "
        f"SELECT event.id, 'k' || {month}, CASE event.kind {coded} END FROM event "
        "WHERE event.deleted_at IS NULL"
    )
    op.execute("DELETE FROM event_tally")
    op.execute(
        "INSERT INTO event_tally (facet, value_id, n) "
        "SELECT facet, value_id, count(*) FROM event_facet GROUP BY facet, value_id"
    )


def downgrade() -> None:
    # The month rows are the only facets of seven letters ("p202601"; "place" has five).
    for table in ("event_facet", "event_tally"):
        op.execute(f"DELETE FROM {table} WHERE length(facet) = 7")
