"""Event tables: the event, who took part, how events link, every revision, and each
event's answer kept as JSON, and the records each event counts for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.actors.models import Actor
from app.common.slugs import SLUG_LENGTH
from app.core.base import Base, UTCDateTime, one_of, utcnow
from app.events.fields import (
    LINK_KINDS,
    PARTICIPATION_ROLES,
    PLAIN_FIELDS,
    REQUIRED,
    REVISION_ACTIONS,
)
from app.media.models import Media
from app.places.models import Place
from app.series.models import Series
from app.sources.models import Citation
from app.tags.models import Tag, event_tag


def _plain_columns() -> Any:
    """A mixin with a column for each plain field of the declaration, as it is written."""
    columns = {
        field.name: mapped_column(
            field.column,
            nullable=field.nullable,
            default=None if field.default is REQUIRED or field.nullable else field.default,
            index=field.index or None,
        )
        for field in PLAIN_FIELDS
    }
    return type("EventFields", (), columns)


class Event(_plain_columns(), Base):  # type: ignore[misc]
    """An event. Its plain fields (title, kind, start_date, …) are the columns of the
    declaration in `fields.py`; here are the keys, the links to other records, and what
    the service keeps for sorting and searching."""

    __tablename__ = "event"
    __table_args__ = (
        *(
            CheckConstraint(one_of(field.name, field.choices), name=field.name)
            for field in PLAIN_FIELDS
            if field.choices
        ),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_not_before_start"),
        CheckConstraint(
            "end_time IS NULL OR end_date IS NOT NULL OR start_time IS NULL "
            "OR end_time >= start_time",
            name="end_time_not_before_start_time",
        ),
        CheckConstraint("round IS NULL OR round >= 1", name="round_positive"),
        CheckConstraint("round IS NULL OR series_id IS NOT NULL", name="round_needs_series"),
        CheckConstraint("version >= 1", name="version_positive"),
        # Keyset pagination walks (starts_at, id) in either direction.
        Index("ix_event_starts_at_id", "starts_at", "id"),
        # A kind filter walks the same order within one kind, instead of sorting them all.
        Index("ix_event_kind_starts_at_id", "kind", "starts_at", "id"),
        # Finds the events still running on a `from` date (see listing.filtered).
        Index("ix_event_end_date_start_date", "end_date", "start_date"),
        Index("ix_event_updated_at_id", "updated_at", "id"),
        # "Upcoming" seeks the planned events from today on, in date order, per status.
        Index("ix_event_status_starts_at_id", "status", "starts_at", "id"),
        # The timeline's total, dates and counts per kind and status, from the index alone.
        Index("ix_event_summary", "kind", "status", "start_date", "end_date", "deleted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH), unique=True)
    # start_date + (start_time or midnight), local wall time: one sortable key for the
    # timeline's order and for keyset cursors, kept by the service.
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"), index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Everything `q` searches, in one column the full-text index is built on: title,
    # summary, body, quotes, and the names and aliases of the place and the people.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    # A concurrent writer that read an older version fails instead of overwriting.
    __mapper_args__: dict[str, Any] = {"version_id_col": version}

    place: Mapped[Place | None] = relationship(lazy="raise")
    series: Mapped[Series | None] = relationship(lazy="raise")
    participations: Mapped[list[Participation]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Participation.id",
        back_populates="event",
    )
    citations: Mapped[list[Citation]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="Citation.position"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=event_tag, lazy="raise", order_by="Tag.name")
    links_out: Mapped[list[EventLink]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        foreign_keys="EventLink.from_event_id",
        order_by="EventLink.id",
        back_populates="from_event",
    )
    media: Mapped[list[EventMedia]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="EventMedia.position"
    )
    links_in: Mapped[list[EventLink]] = relationship(
        lazy="raise",
        foreign_keys="EventLink.to_event_id",
        order_by="EventLink.id",
        back_populates="to_event",
        viewonly=True,
    )


class Participation(Base):
    __tablename__ = "participation"
    __table_args__ = (
        CheckConstraint(one_of("role", PARTICIPATION_ROLES), name="role"),
        UniqueConstraint("event_id", "actor_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    event: Mapped[Event] = relationship(back_populates="participations", lazy="raise")
    actor: Mapped[Actor] = relationship(lazy="raise")


class EventLink(Base):
    __tablename__ = "event_link"
    __table_args__ = (
        CheckConstraint(one_of("kind", LINK_KINDS), name="kind"),
        CheckConstraint("from_event_id <> to_event_id", name="not_to_itself"),
        UniqueConstraint("from_event_id", "to_event_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    to_event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))

    from_event: Mapped[Event] = relationship(
        foreign_keys=[from_event_id], back_populates="links_out", lazy="raise"
    )
    to_event: Mapped[Event] = relationship(foreign_keys=[to_event_id], lazy="raise")


class EventMedia(Base):
    """An image as one event uses it: the words that go with it belong to the use (the same
    photograph may say different things beside two events)."""

    __tablename__ = "event_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    alt: Mapped[str] = mapped_column(String(500))
    credit: Mapped[str | None] = mapped_column(String(500))
    caption: Mapped[str | None] = mapped_column(Text)

    media: Mapped[Media] = relationship(lazy="raise")


class Revision(Base):
    """One change to an event, with the whole event as it was after it. Never updated."""

    __tablename__ = "revision"
    __table_args__ = (
        CheckConstraint(one_of("action", REVISION_ACTIONS), name="action"),
        UniqueConstraint("event_id", "version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"))
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    author: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


class EventDocument(Base):
    """The event's answer (`GET /api/v1/events/{slug}`) as the exact JSON bytes, kept current
    by `app/events/documents.py` on every write that changes what it shows.

    An answer depends on the day only through a planned event's date passing
    (`awaiting_confirmation`): `body` is the answer until `overdue_from`, `overdue_body`
    from that day on. `shape` names the schema and renderer that made it: a document of
    another shape is never served (the answer is built instead) until it is made again.
    """

    __tablename__ = "event_document"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    shape: Mapped[str] = mapped_column(String(16))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    overdue_from: Mapped[dt.date | None] = mapped_column(Date)
    overdue_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The event's row of the CSV export (`spreadsheet.py`), which does not depend on the day.
    csv_row: Mapped[bytes] = mapped_column(LargeBinary)


class EventFacet(Base):
    """Each live event's kind, status, place, series, tags and sides, one row each, kept
    current by `app/events/facet_rows.py` on every write that changes them: the timeline's
    counts per filter choice are then one grouped read of an index, not joins over every
    event.

    `facet` is "kind", "status", "place", "series", "tag" or "actor"; `value_id` that
    record's id, or for a kind or a status its code (`facet_rows.code`). An actor row stands
    for each actor who took part and for the side such an actor speaks for (unless only
    mentioned), as the actor filter counts them. A deleted event has no rows.
    """

    __tablename__ = "event_facet"
    __table_args__ = (Index("ix_event_facet_facet_value_id", "facet", "value_id"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(String(8), primary_key=True)
    value_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class EventTally(Base):
    """How many live events each filter choice has (the rows of `event_facet` counted per
    facet and value), kept current in every writing transaction as its last step before
    COMMIT (`app/events/tallies.py`): the unfiltered timeline's counts and total are a read
    of a few hundred rows, whatever the number of events."""

    __tablename__ = "event_tally"

    facet: Mapped[str] = mapped_column(String(8), primary_key=True)
    value_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
