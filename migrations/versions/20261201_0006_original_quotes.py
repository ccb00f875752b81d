"""original quotes: a citation's quote in the language it was said in, beside the English

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("citation") as batch:
        batch.add_column(sa.Column("original_quote", sa.Text(), nullable=True))
        batch.add_column(sa.Column("original_language", sa.String(length=35), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("citation") as batch:
        batch.drop_column("original_language")
        batch.drop_column("original_quote")
