"""event store

Revision ID: 0001
Revises:
Create Date: 2026-11-24 19:58:22.943063
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "actor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("affiliation_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('state', 'person', 'organization', 'delegation')", name=op.f("ck_actor_kind")
        ),
        sa.CheckConstraint(
            "affiliation_id IS NULL OR affiliation_id <> id",
            name=op.f("ck_actor_not_own_affiliation"),
        ),
        sa.ForeignKeyConstraint(
            ["affiliation_id"],
            ["actor.id"],
            name=op.f("fk_actor_affiliation_id_actor"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor")),
        sa.UniqueConstraint("slug", name=op.f("uq_actor_slug")),
    )
    with op.batch_alter_table("actor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_actor_affiliation_id"), ["affiliation_id"], unique=False
        )

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("name", name=op.f("uq_api_token_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_table(
        "place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("country", sa.String(length=120), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "latitude IS NULL OR (latitude BETWEEN -90 AND 90)", name=op.f("ck_place_latitude")
        ),
        sa.CheckConstraint(
            "longitude IS NULL OR (longitude BETWEEN -180 AND 180)", name=op.f("ck_place_longitude")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
        sa.UniqueConstraint("slug", name=op.f("uq_place_slug")),
    )
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint("slug", name=op.f("uq_series_slug")),
    )
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("publisher", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("url", name=op.f("uq_source_url")),
    )
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag")),
        sa.UniqueConstraint("slug", name=op.f("uq_tag_slug")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.String(length=1000), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("date_precision", sa.String(length=10), nullable=False),
        sa.Column("date_approximate", sa.Boolean(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("round", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "date_precision IN ('day', 'month', 'year')", name=op.f("ck_event_date_precision")
        ),
        sa.CheckConstraint(
            "kind IN ('talks', 'meeting', 'call', 'statement', 'proposal', 'agreement', 'other')",
            name=op.f("ck_event_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('held', 'scheduled', 'tentative', 'postponed', 'cancelled')",
            name=op.f("ck_event_status"),
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_event_end_not_before_start")
        ),
        sa.CheckConstraint(
            "end_time IS NULL OR end_date IS NOT NULL OR start_time IS NULL OR end_time >= start_time",
            name=op.f("ck_event_end_time_not_before_start_time"),
        ),
        sa.CheckConstraint("round IS NULL OR round >= 1", name=op.f("ck_event_round_positive")),
        sa.CheckConstraint(
            "round IS NULL OR series_id IS NOT NULL", name=op.f("ck_event_round_needs_series")
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_event_version_positive")),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"], name=op.f("fk_event_place_id_place")),
        sa.ForeignKeyConstraint(
            ["series_id"], ["series.id"], name=op.f("fk_event_series_id_series")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
        sa.UniqueConstraint("slug", name=op.f("uq_event_slug")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_place_id"), ["place_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_series_id"), ["series_id"], unique=False)
        batch_op.create_index("ix_event_starts_at_id", ["starts_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_status"), ["status"], unique=False)
        batch_op.create_index("ix_event_updated_at_id", ["updated_at", "id"], unique=False)

    op.create_table(
        "citation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_citation_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_citation_source_id_source")
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["actor.id"], name=op.f("fk_citation_speaker_id_actor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citation")),
    )
    with op.batch_alter_table("citation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citation_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citation_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citation_speaker_id"), ["speaker_id"], unique=False)

    op.create_table(
        "event_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_event_id", sa.Integer(), nullable=False),
        sa.Column("to_event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "kind IN ('announces', 'follows_up', 'responds_to', 'reschedules', 'related')",
            name=op.f("ck_event_link_kind"),
        ),
        sa.CheckConstraint(
            "from_event_id <> to_event_id", name=op.f("ck_event_link_not_to_itself")
        ),
        sa.ForeignKeyConstraint(
            ["from_event_id"],
            ["event.id"],
            name=op.f("fk_event_link_from_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_event_id"],
            ["event.id"],
            name=op.f("fk_event_link_to_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_link")),
        sa.UniqueConstraint(
            "from_event_id",
            "to_event_id",
            "kind",
            name=op.f("uq_event_link_from_event_id_to_event_id_kind"),
        ),
    )
    with op.batch_alter_table("event_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_link_to_event_id"), ["to_event_id"], unique=False
        )

    op.create_table(
        "event_tag",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_event_tag_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], name=op.f("fk_event_tag_tag_id_tag")),
        sa.PrimaryKeyConstraint("event_id", "tag_id", name=op.f("pk_event_tag")),
    )
    with op.batch_alter_table("event_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_tag_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "participation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "role IN ('party', 'mediator', 'host', 'speaker', 'delegate', 'mentioned')",
            name=op.f("ck_participation_role"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actor.id"], name=op.f("fk_participation_actor_id_actor")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_participation_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participation")),
        sa.UniqueConstraint(
            "event_id", "actor_id", "role", name=op.f("uq_participation_event_id_actor_id_role")
        ),
    )
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participation_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_participation_event_id"), ["event_id"], unique=False)

    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "action IN ('create', 'update', 'delete', 'restore')", name=op.f("ck_revision_action")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_revision_event_id_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
        sa.UniqueConstraint("event_id", "version", name=op.f("uq_revision_event_id_version")),
    )
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("place_name", sa.String(length=200), nullable=True),
        sa.Column("source_url", sa.String(length=2000), nullable=False),
        sa.Column("submitter_name", sa.String(length=200), nullable=True),
        sa.Column("submitter_key", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reviewed_by", sa.String(length=80), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'rejected')", name=op.f("ck_suggestion_status")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_suggestion_event_id_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion")),
    )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestion_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_suggestion_submitted_at"), ["submitted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_suggestion_submitter_key"), ["submitter_key"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_submitter_key"))
        batch_op.drop_index(batch_op.f("ix_suggestion_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_suggestion_status"))

    op.drop_table("suggestion")
    op.drop_table("revision")
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_event_id"))
        batch_op.drop_index(batch_op.f("ix_participation_actor_id"))

    op.drop_table("participation")
    with op.batch_alter_table("event_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_tag_tag_id"))

    op.drop_table("event_tag")
    with op.batch_alter_table("event_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_link_to_event_id"))

    op.drop_table("event_link")
    with op.batch_alter_table("citation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citation_speaker_id"))
        batch_op.drop_index(batch_op.f("ix_citation_source_id"))
        batch_op.drop_index(batch_op.f("ix_citation_event_id"))

    op.drop_table("citation")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_updated_at_id")
        batch_op.drop_index(batch_op.f("ix_event_status"))
        batch_op.drop_index("ix_event_starts_at_id")
        batch_op.drop_index(batch_op.f("ix_event_series_id"))
        batch_op.drop_index(batch_op.f("ix_event_place_id"))
        batch_op.drop_index(batch_op.f("ix_event_kind"))

    op.drop_table("event")
    op.drop_table("user_account")
    op.drop_table("tag")
    op.drop_table("source")
    op.drop_table("series")
    op.drop_table("place")
    op.drop_table("api_token")
    with op.batch_alter_table("actor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actor_affiliation_id"))

    op.drop_table("actor")
