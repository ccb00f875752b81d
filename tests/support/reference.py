"""The plain, obviously correct way to build the event answers: the ORM loads the events,
the schemas make the answer, and pydantic serializes it as FastAPI does for a response
model. The stored documents (app/events/documents.py) must give the same bytes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from app.events import listing, reading
from app.events.query import EventPageQuery
from app.events.schemas import EventPage, EventRead

_PAGE = TypeAdapter(EventPage)
_EVENT = TypeAdapter(EventRead)


def page(session: Session, params: dict[str, Any]) -> bytes:
    """`GET /api/v1/events?<params>` as the ORM and the schemas answer it."""
    query = EventPageQuery.model_validate(params)
    found = listing.list_events(
        session,
        filters=query.filters(),
        order=query.order,
        limit=query.limit,
        cursor=query.cursor,
    )
    answer = EventPage(
        items=[reading.to_read(event) for event in found.items], next_cursor=found.next_cursor
    )
    return _PAGE.dump_json(answer, by_alias=True)


def slugs(session: Session, params: dict[str, Any]) -> list[str]:
    """The events a whole walk of `GET /api/v1/events?<params>` in date order shows, in
    order: every match of the plain filtered query (each word checked against the set of
    all its matches), sorted here, with no keyset and no index leading."""
    query = EventPageQuery.model_validate(params)
    found = session.scalars(listing.filtered(query.filters())).all()
    ordered = sorted(found, key=lambda e: (e.starts_at, e.id), reverse=query.order == "desc")
    return [e.slug for e in ordered]


def event(session: Session, slug: str, today: dt.date | None = None) -> bytes:
    """`GET /api/v1/events/{slug}` as the ORM and the schemas answer it (a live event)."""
    found = reading.get_by_slug(session, slug=slug)
    return _EVENT.dump_json(reading.to_read(found, today), by_alias=True)


def tombstone(session: Session, slug: str) -> dict[str, Any]:
    """What a deleted event was, as its 410 answer carries it."""
    found = reading.get_by_slug(session, slug=slug, include_deleted=True)
    return reading.to_read(found).model_dump(mode="json")
