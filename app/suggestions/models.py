"""Suggestion table. A rejected suggestion is kept, with the reason."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.base import Base, UTCDateTime, one_of, utcnow

SUGGESTION_STATUSES = ("pending", "accepted", "rejected")


class Suggestion(Base):
    __tablename__ = "suggestion"
    __table_args__ = (CheckConstraint(one_of("status", SUGGESTION_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date] = mapped_column(Date)
    place_name: Mapped[str | None] = mapped_column(String(200))
    source_url: Mapped[str] = mapped_column(String(2000))
    submitter_name: Mapped[str | None] = mapped_column(String(200))
    # A hash of the visitor's address: enough for a rate limit, not enough to track people.
    submitter_key: Mapped[str] = mapped_column(String(64), index=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(80))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    review_reason: Mapped[str | None] = mapped_column(Text)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"))
