"""media: uploaded images, and the images each event shows with their alt text

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 19:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "content_type IN ('image/png', 'image/jpeg', 'image/webp')",
            name=op.f("ck_media_content_type"),
        ),
        sa.CheckConstraint("width >= 1 AND height >= 1", name=op.f("ck_media_positive_size")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media")),
        sa.UniqueConstraint("sha256", name=op.f("uq_media_sha256")),
    )
    op.create_table(
        "event_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("alt", sa.String(length=500), nullable=False),
        sa.Column("credit", sa.String(length=500), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_media_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media.id"], name=op.f("fk_event_media_media_id_media")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_media")),
    )
    with op.batch_alter_table("event_media", schema=None) as batch_op:
        batch_op.create_index("ix_event_media_event_id", ["event_id"], unique=False)
        batch_op.create_index("ix_event_media_media_id", ["media_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event_media", schema=None) as batch_op:
        batch_op.drop_index("ix_event_media_media_id")
        batch_op.drop_index("ix_event_media_event_id")
    op.drop_table("event_media")
    op.drop_table("media")
