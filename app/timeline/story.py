"""The story view's data: one event of the filtered timeline, where it stands among them, and
its neighbours in date order, each found by a keyset seek on (starts_at, id)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from app.events import listing, reading
from app.events.dates import date_label
from app.events.models import Event
from app.events.schemas import EventRead

#: How many events the strip shows on each side of the current one.
AROUND = 3
#: Events before the current one are counted up to this many: counting is a walk over them
#: (600-750 ms for 50,000 on SQLite), so deep in a long story the place is said in words.
COUNTED = 1000


@dataclass(frozen=True)
class Mark:
    """One event on the strip: enough to name it and link to it."""

    slug: str
    title: str
    start_date: dt.date
    date_label: str
    current: bool = False


@dataclass(frozen=True)
class Story:
    """One step of the story: the event, and where the reader is among the matching events.

    `matches` is false when the event asked for is not among the filtered ones (a link kept
    after the filters changed); the steps then lead to the nearest events that are.
    `before` is how many matching events come before it, None when more than COUNTED.
    """

    event: EventRead
    matches: bool
    before: int | None
    total: int
    earlier: list[Mark]
    later: list[Mark]

    @property
    def position(self) -> int | None:
        """Its number among the matching events (1 for the first), when counted."""
        if self.before is None:
            return None
        return self.before + 1 if self.matches else self.before

    @property
    def previous(self) -> Mark | None:
        return self.earlier[-1] if self.earlier else None

    @property
    def next(self) -> Mark | None:
        return self.later[0] if self.later else None

    @property
    def strip(self) -> list[Mark]:
        """The events around, in date order, the current one among them."""
        here = Mark(
            self.event.slug,
            self.event.title,
            self.event.start_date,
            self.event.date_label,
            current=True,
        )
        return [*self.earlier, here, *self.later]


#: The columns a mark reads: its name and what its honest date needs.
_MARK_COLUMNS = (
    Event.slug,
    Event.title,
    Event.start_date,
    Event.end_date,
    Event.start_time,
    Event.date_precision,
    Event.date_approximate,
    Event.status,
)


def _mark(row: Any) -> Mark:
    """A strip mark from a row of _MARK_COLUMNS (it reads like an event to date_label)."""
    return Mark(row.slug, row.title, row.start_date, date_label(row))


def _seek(session: Session, filters: listing.EventFilters, here: Any, *, later: bool) -> list[Mark]:
    """Up to AROUND matching events just before or just after `here`, in date order: one
    walk of the (starts_at, id) index from the current event, stopped after AROUND rows."""
    key = tuple_(Event.starts_at, Event.id)
    query = (
        listing.filtered(filters)
        .with_only_columns(*_MARK_COLUMNS)
        .where(key > here if later else key < here)
    )
    if later:
        query = query.order_by(Event.starts_at, Event.id)
    else:
        query = query.order_by(Event.starts_at.desc(), Event.id.desc())
    found = [_mark(row) for row in session.execute(query.limit(AROUND))]
    return found if later else found[::-1]


def _first(session: Session, filters: listing.EventFilters) -> Event | None:
    """The earliest matching event, loaded with everything its page shows."""
    query = (
        listing.filtered(filters)
        .order_by(Event.starts_at, Event.id)
        .limit(1)
        .options(*reading.load_options())
    )
    return session.scalars(query).first()


def _matches(session: Session, filters: listing.EventFilters, event: Event) -> bool:
    """Whether the event is one of the filtered ones: a link may name any event."""
    return (
        session.scalar(select(listing.filtered(filters).where(Event.id == event.id).exists()))
        is True
    )


def _before(session: Session, filters: listing.EventFilters, here: Any) -> int | None:
    """How many matching events come before `here`, walking back from it over the index at
    most COUNTED of them; None when there are more."""
    earlier = (
        listing.filtered(filters)
        .with_only_columns(Event.id)
        .where(tuple_(Event.starts_at, Event.id) < here)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(COUNTED + 1)
    )
    counted = session.scalar(select(func.count()).select_from(earlier.subquery())) or 0
    return counted if counted <= COUNTED else None


def step(
    session: Session,
    *,
    filters: listing.EventFilters,
    slug: str | None,
    total: int,
    today: dt.date | None = None,
) -> Story | None:
    """The story at the event `slug` (at the first matching event when None), within
    `filters`; None when no event matches. `total` is the number of matching events, which
    the caller usually has kept. An unknown or deleted slug is EventNotFound / EventGone."""
    if slug is None:
        event = _first(session, filters)
        if event is None:
            return None
        matches = True
    else:
        event = reading.get_by_slug(session, slug=slug)
        matches = _matches(session, filters, event)
    here = (event.starts_at, event.id)
    earlier = _seek(session, filters, here, later=False)
    later = _seek(session, filters, here, later=True)
    return Story(
        event=reading.to_read(event, today),
        matches=matches,
        before=_before(session, filters, here),
        total=total,
        earlier=earlier,
        later=later,
    )
