"""Each event's answer kept as its exact JSON bytes (`event_document`), made by the one
reference builder (`reading.to_read`) whenever what it shows changes, so that a read is an
indexed range read and a join of bytes.

The bytes are those FastAPI sends for `EventRead` (pydantic-core's JSON serializer, the one
its response models use), so a list page built from them is byte for byte the answer the
schemas would give, and any field the declaration gains flows in without this module
knowing it. What decides when a document is made again lives in `indexing.py`, the one
place the events package listens to writes of other records.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from app.events import facet_rows, listing, search, spreadsheet, tallies
from app.events.dates import awaiting_confirmation, last_day
from app.events.models import Event, EventDocument
from app.events.reading import load_options, to_read
from app.events.schemas import EventRead

#: Bump when a reader in `reading.py` changes what it writes without changing the schema:
#: documents of an older rendering are then never served, and `fill` makes them again.
RENDERING = 2

#: The schema and rendering a document was made with; another shape is never served.
SHAPE = hashlib.sha256(
    json.dumps(
        [RENDERING, EventRead.model_json_schema(), spreadsheet.COLUMNS], sort_keys=True
    ).encode()
).hexdigest()[:16]

_CHUNK = 500
_TABLE: Any = EventDocument.__table__
_SERIALIZER = EventRead.__pydantic_serializer__


def answer_bytes(event: Event, today: dt.date | None = None) -> bytes:
    """The event's answer as FastAPI would send it, built from the loaded event."""
    return bytes(_SERIALIZER.to_json(to_read(event, today)))


def render(event: Event) -> dict[str, Any]:
    """The event's document row: its answer before and, for a plan, after its date passes.

    The answer depends on the day only through `awaiting_confirmation`, which turns true the
    day after the event's last day: rendering as of the earliest and the latest day there is
    gives both answers, whatever fields the declaration holds.
    """
    body = answer_bytes(event, dt.date.min)
    end = last_day(event)
    row = spreadsheet.encoded(json.loads(body))
    # An event that would not await confirmation even at the end of time (one that is not
    # planned) reads the same every day: one answer, made once.
    if end == dt.date.max or not awaiting_confirmation(event, dt.date.max):
        return {"event_id": event.id, "shape": SHAPE, "body": body, "csv_row": row}
    overdue = answer_bytes(event, dt.date.max)
    if overdue == body:
        return {"event_id": event.id, "shape": SHAPE, "body": body, "csv_row": row}
    return {
        "event_id": event.id,
        "shape": SHAPE,
        "body": body,
        "csv_row": row,
        "overdue_from": end + dt.timedelta(days=1),
        "overdue_body": overdue,
    }


def refresh(
    connection: Connection,
    event_ids: Iterable[int],
    *,
    loaded: Mapping[int, Event] | None = None,
    new: Collection[int] = (),
) -> int:
    """Make the documents of these events again, from what the transaction holds now.

    The events are loaded by a session of their own on the same connection, so what they
    show comes from the database (the flushed state), never from objects a caller holds;
    except the `loaded` ones: events the writing session loaded with everything they show
    (`load_options`) and has just flushed, which hold that state already, so that a write
    does not read its event twice. The `new` ones were inserted by this transaction and
    have no document to remove.
    """
    ids = sorted(set(event_ids))
    loaded = loaded or {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = [render(loaded[i]) for i in chunk if i in loaded]
        wanted = [i for i in chunk if i not in loaded]
        if wanted:
            with Session(bind=connection, autoflush=False) as reader:
                found = reader.scalars(
                    select(Event).where(Event.id.in_(wanted)).options(*load_options())
                )
                rows += [render(event) for event in found.unique()]
        held = [i for i in chunk if i not in new]
        if held:
            connection.execute(delete(_TABLE).where(_TABLE.c.event_id.in_(held)))
        if rows:
            connection.execute(
                insert(_TABLE),
                [{"overdue_from": None, "overdue_body": None, **row} for row in rows],
            )
    return len(ids)


def fill(session: Session, *, log: Any = None) -> int:
    """Make every missing document, and every one of another shape (after an upgrade or a
    bulk load that wrote events without them); returns how many were made."""
    current = select(EventDocument.event_id).where(EventDocument.shape == SHAPE)
    missing = list(
        session.scalars(select(Event.id).where(Event.id.not_in(current)).order_by(Event.id))
    )
    connection = session.connection()
    for start in range(0, len(missing), 5_000):
        refresh(connection, missing[start : start + 5_000])
        # Events written without their documents (in bulk) lack their choice rows too.
        facet_rows.refresh(connection, missing[start : start + 5_000])
        if log is not None:
            log(f"  documents: {min(start + 5_000, len(missing)):,} of {len(missing):,}")
    if missing:
        tallies.rebuild(connection)
        search.tidy(connection)
    return len(missing)


_COLUMNS = (EventDocument.body, EventDocument.overdue_from, EventDocument.overdue_body)


def _current(
    body: bytes, overdue_from: dt.date | None, overdue_body: bytes | None, today: dt.date
) -> bytes:
    overdue = overdue_from is not None and overdue_from <= today
    return overdue_body if overdue and overdue_body is not None else body


def answers(
    session: Session, event_ids: Sequence[int], today: dt.date | None = None
) -> list[bytes]:
    """The answers of these events, in this order, from their documents.

    An event without a current document (made by a bulk load, or of another shape) is
    built from the event itself, so a missing document costs time, never a wrong answer.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    rows = session.connection().execute(
        select(EventDocument.event_id, *_COLUMNS).where(
            EventDocument.event_id.in_(event_ids), EventDocument.shape == SHAPE
        )
    )
    found = {row[0]: _current(*row[1:], today) for row in rows}
    missing = [event_id for event_id in event_ids if event_id not in found]
    if missing:
        built = session.scalars(select(Event).where(Event.id.in_(missing)).options(*load_options()))
        for event in built.unique():
            found[event.id] = answer_bytes(event, today)
    return [found[event_id] for event_id in event_ids if event_id in found]


def reads(
    session: Session, event_ids: Sequence[int], today: dt.date | None = None
) -> list[EventRead]:
    """The events as pages show them (`EventRead`), parsed from their stored answers: a page
    of events costs an indexed read and a parse, not loading every related record. The
    events are shared with every page that shows the same answer: never to be changed."""
    return [_parsed(body) for body in answers(session, event_ids, today)]


@functools.lru_cache(maxsize=2048)
def _parsed(body: bytes) -> EventRead:
    """An answer parsed, kept for the answers shown lately: a write leaves the others as
    they were, so the page read again after it parses only what the write changed."""
    return EventRead.model_validate_json(body)


def page(
    session: Session,
    *,
    filters: listing.EventFilters,
    limit: int,
    cursor: str | None = None,
    today: dt.date | None = None,
) -> tuple[list[EventRead], str | None]:
    """One page of `listing.list_events` (the same walk and cursor), read from the stored
    answers: the list on the timeline page and on an actor's, place's or series' page."""
    ids, next_cursor = listing.page_ids(session, filters=filters, limit=limit, cursor=cursor)
    return reads(session, ids, today), next_cursor


def first_page(
    session: Session, keys: Sequence[tuple[int, dt.datetime]], limit: int, today: dt.date
) -> tuple[list[EventRead], str | None]:
    """The first page of `page`, from the (id, starts_at)s its walk would find, found
    already (limit + 1 of them when more follow, `facets.Counted.listed`)."""
    ids = [event_id for event_id, _starts_at in keys[:limit]]
    return reads(session, ids, today), listing.next_cursor(keys, "asc", limit)


_BY_SLUG = (
    select(Event.id, Event.version, Event.deleted_at, *_COLUMNS)
    .outerjoin(
        EventDocument,
        and_(EventDocument.event_id == Event.id, EventDocument.shape == SHAPE),
    )
    .where(Event.slug == bindparam("slug"))
)


def by_slug(session: Session, slug: str) -> Any:
    """The event's id, version and deletion time with its current document (None where it
    has none), in one statement: what a single-event answer needs."""
    # Built once, and run on the session's connection: no ORM entity is wanted here.
    return session.connection().execute(_BY_SLUG, {"slug": slug}).first()


def answer_of(session: Session, row: Any, today: dt.date | None = None) -> bytes:
    """The answer for a row of `by_slug`: its document, or built when it has none."""
    today = today or dt.datetime.now(dt.UTC).date()
    if row.body is None:
        (built,) = answers(session, [row.id], today)
        return built
    return _current(row.body, row.overdue_from, row.overdue_body, today)


def csv_rows(session: Session, event_ids: Sequence[int]) -> list[bytes]:
    """The CSV rows of these events, in this order, kept beside their answers; an event
    without a current document has its row made from its answer."""
    rows = session.execute(
        select(EventDocument.event_id, EventDocument.csv_row).where(
            EventDocument.event_id.in_(event_ids), EventDocument.shape == SHAPE
        )
    )
    found = {event_id: row for event_id, row in rows}
    missing = [event_id for event_id in event_ids if event_id not in found]
    if missing:
        for event_id, answer in zip(missing, answers(session, missing), strict=True):
            found[event_id] = spreadsheet.encoded(json.loads(answer))
    return [found[event_id] for event_id in event_ids if event_id in found]
