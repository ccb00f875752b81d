"""Actor tables: who takes part, under which names, and on whose side."""

from __future__ import annotations

from typing import Literal, get_args

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.slugs import SLUG_LENGTH
from app.core.base import Base, one_of

ActorKind = Literal["state", "person", "organization", "delegation"]
ACTOR_KINDS: tuple[str, ...] = get_args(ActorKind)


class Actor(Base):
    __tablename__ = "actor"
    __table_args__ = (
        CheckConstraint(one_of("kind", ACTOR_KINDS), name="kind"),
        CheckConstraint(
            "affiliation_id IS NULL OR affiliation_id <> id", name="not_own_affiliation"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    affiliation_id: Mapped[int | None] = mapped_column(
        ForeignKey("actor.id", ondelete="SET NULL"), index=True
    )

    affiliation: Mapped[Actor | None] = relationship(
        remote_side=[id], lazy="raise", back_populates="members"
    )
    members: Mapped[list[Actor]] = relationship(back_populates="affiliation", lazy="raise")
