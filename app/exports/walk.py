"""The walk under every export: each matching event once, in date order, a batch at a time,
so that an export of a million events holds one batch in memory.

Each batch is a short read of its own: a slow client holds no transaction open (on SQLite
that would keep the WAL from being checkpointed), and the keyset on (starts_at, id) still
visits every event exactly once while others are written. Relevance order is not an
export's: events leave in the order of their dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import tuple_
from sqlalchemy.orm import Session

from app.core.database import Database
from app.events import listing
from app.events.listing import EventFilters
from app.events.models import Event

#: Events per read: large enough that a read's round trips are a small part of its cost,
#: small enough that a batch stays a few megabytes.
BATCH = 500

Render = Callable[[list[Event], dt.date], bytes]
RenderRows = Callable[[Session, list[int], dt.date], bytes]


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def rendered(
    database: Database, filters: EventFilters, render: Render, *, batch: int | None = None
) -> Iterator[bytes]:
    """The bytes of every matching event, loaded as ORM events (what the calendar and
    TimelineJS read), `batch` events per chunk."""
    batch = batch or BATCH
    today = _today()
    cursor: str | None = None
    while True:
        with database.session() as session:
            page = listing.list_events(
                session, filters=filters, order="asc", limit=batch, cursor=cursor
            )
            chunk = render(page.items, today)
        if chunk:
            yield chunk
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def rendered_rows(
    database: Database, filters: EventFilters, render: RenderRows, *, batch: int | None = None
) -> Iterator[bytes]:
    """The bytes of every matching event by id (what NDJSON and CSV read): the keyset walk
    takes only ids, and `render` reads what a batch of them shows."""
    batch = batch or BATCH
    today = _today()
    after: tuple[Any, int] | None = None
    matching = listing.filtered(filters).with_only_columns(Event.id, Event.starts_at)
    while True:
        query = matching
        if after is not None:
            query = query.where(tuple_(Event.starts_at, Event.id) > after)
        query = query.order_by(Event.starts_at, Event.id).limit(batch)
        with database.session() as session:
            keys = session.execute(query).all()
            chunk = render(session, [key.id for key in keys], today) if keys else b""
        if chunk:
            yield chunk
        if len(keys) < batch:
            return
        after = (keys[-1].starts_at, keys[-1].id)
