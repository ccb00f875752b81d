"""column lengths: the texts the API takes fit their columns

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 18:00:00

A series title (300 characters), an actor's title (500) and a place's country (200) are
taken by the API at those lengths; PostgreSQL's columns were shorter and refused longer ones
with an error. SQLite keeps any length, so only PostgreSQL changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, column, length before, length now)
WIDENED = (
    ("series", "title", 200, 300),
    ("actor", "title", 200, 500),
    ("place", "country", 120, 200),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, before, now in WIDENED:
        op.alter_column(table, column, type_=sa.String(now), existing_type=sa.String(before))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, before, now in WIDENED:
        op.alter_column(table, column, type_=sa.String(before), existing_type=sa.String(now))
