"""The /api/v1/events routes: thin wrappers that parse, call the service and answer."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.deps import SessionDep
from app.events import service
from app.events.schemas import EventPage, EventRead

router = APIRouter(prefix="/api/v1/events", tags=["events"])


def etag(event_version: int, slug: str) -> str:
    return f'"{slug}-v{event_version}"'


@router.get("", response_model=EventPage, summary="List events in date order")
def list_events(request: Request, response: Response, session: SessionDep) -> EventPage:
    page = service.list_events(session)
    if page.next_cursor:
        next_url = request.url.include_query_params(cursor=page.next_cursor)
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return EventPage(items=[service.to_read(e) for e in page.items], next_cursor=page.next_cursor)


@router.get("/{slug}", response_model=EventRead, summary="One event")
def get_event(slug: str, response: Response, session: SessionDep) -> EventRead:
    event = service.get_by_slug(session, slug=slug)
    response.headers["ETag"] = etag(event.version, event.slug)
    return service.to_read(event)
