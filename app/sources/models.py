"""Source and citation tables: where a claim comes from, and who said what."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.base import Base

if TYPE_CHECKING:
    from app.actors.models import Actor


class Source(Base):
    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    publisher: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(500))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(35))


class Citation(Base):
    __tablename__ = "citation"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    quote: Mapped[str | None] = mapped_column(Text)
    # The quote as it was said, when that was not in English, and its BCP 47 language tag.
    original_quote: Mapped[str | None] = mapped_column(Text)
    original_language: Mapped[str | None] = mapped_column(String(35))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    source: Mapped[Source] = relationship(lazy="raise")
    speaker: Mapped[Actor | None] = relationship(lazy="raise")
