"""Reading one event: loading it with everything an answer shows, and the answer itself
(`EventRead`), field by field from the declaration in `fields.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.actors.models import Actor
from app.core.errors import EventGone, EventNotFound
from app.events.dates import awaiting_confirmation, date_label, display_status
from app.events.fields import FIELDS
from app.events.models import Event, EventLink, EventMedia, Participation
from app.events.schemas import EventRead
from app.sources.models import Citation


def load_options() -> list[Any]:
    """Everything an event answer shows, in a fixed number of queries whatever the page size.

    Each record one step away comes in one statement, and what it points to (a
    participant's actor and that actor's side, a citation's source and speaker) is joined
    into it: 8 statements for a page (images included) instead of 18; joining cut about
    10-15% of the CPU per list request (measured with `make bench`'s data).
    """
    return [
        joinedload(Event.place),
        joinedload(Event.series),
        selectinload(Event.participations)
        .joinedload(Participation.actor)
        .joinedload(Actor.affiliation),
        selectinload(Event.citations).options(
            joinedload(Citation.source),
            joinedload(Citation.speaker).joinedload(Actor.affiliation),
        ),
        selectinload(Event.tags),
        selectinload(Event.media).joinedload(EventMedia.media),
        selectinload(Event.links_out).joinedload(EventLink.to_event),
        selectinload(Event.links_in).joinedload(EventLink.from_event),
    ]


def get_by_slug(session: Session, *, slug: str, include_deleted: bool = False) -> Event:
    """The event with everything it shows; a deleted one is EventGone, with what it was."""
    event = session.scalar(select(Event).where(Event.slug == slug).options(*load_options()))
    if event is None:
        raise EventNotFound(f"there is no event {slug!r}")
    if event.deleted_at is not None and not include_deleted:
        raise EventGone(
            f"the event {slug!r} was deleted on {event.deleted_at:%Y-%m-%d}",
            extra={"event": to_read(event).model_dump(mode="json")},
        )
    return event


def _ref(other: Event) -> dict[str, Any]:
    return {
        "slug": other.slug,
        "title": other.title,
        "kind": other.kind,
        "status": other.status,
        "start_date": other.start_date,
        "date_label": date_label(other),
    }


def _sources(event: Event) -> list[dict[str, Any]]:
    return [
        {
            "url": c.source.url,
            "publisher": c.source.publisher,
            "title": c.source.title,
            "published_on": c.source.published_on,
            "language": c.source.language,
            "quote": c.quote,
            "original_quote": c.original_quote,
            "original_language": c.original_language,
            "speaker": c.speaker,
        }
        for c in event.citations
    ]


Reader = Callable[[Event, dt.date | None], Any]

#: How each field that is not read straight off its column reads off a loaded event.
READERS: dict[str, Reader] = {
    "display_status": display_status,
    "awaiting_confirmation": awaiting_confirmation,
    "date_label": lambda event, _today: date_label(event),
    # A time zone left empty is the place's.
    "timezone": lambda event, _today: (
        event.timezone or (event.place.timezone if event.place else None)
    ),
    "place": lambda event, _today: event.place,
    "series": lambda event, _today: event.series,
    "participants": lambda event, _today: [
        {"actor": p.actor, "role": p.role} for p in event.participations
    ],
    "sources": lambda event, _today: _sources(event),
    "media": lambda event, _today: [
        {
            "url": use.media.url,
            "alt": use.alt,
            "credit": use.credit,
            "caption": use.caption,
            "width": use.media.width,
            "height": use.media.height,
        }
        for use in event.media
    ],
    "tags": lambda event, _today: event.tags,
    "links": lambda event, _today: [
        {"kind": link.kind, "event": _ref(link.to_event)}
        for link in event.links_out
        if link.to_event.deleted_at is None
    ],
    "linked_from": lambda event, _today: [
        {"kind": link.kind, "event": _ref(link.from_event)}
        for link in event.links_in
        if link.from_event.deleted_at is None
    ],
}


def to_read(event: Event, today: dt.date | None = None) -> EventRead:
    """The event as the API answers it and templates show it."""
    data: dict[str, Any] = {"slug": event.slug}
    for field in FIELDS:
        if field.read is not None:
            reader = READERS.get(field.name)
            data[field.name] = reader(event, today) if reader else getattr(event, field.name)
    data.update(
        version=event.version,
        created_at=event.created_at,
        updated_at=event.updated_at,
        deleted_at=event.deleted_at,
    )
    return EventRead.model_validate(data)
