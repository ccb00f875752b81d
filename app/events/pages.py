"""The event page: everything about one event, its sources and the events it links to."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.common.pages import render
from app.core.deps import SessionDep
from app.events import listing, reading

router = APIRouter(include_in_schema=False)


@router.get("/events/{slug}", response_class=HTMLResponse)
def event_page(slug: str, request: Request, session: SessionDep) -> HTMLResponse:
    event = reading.get_by_slug(session, slug=slug)
    earlier, later = listing.adjacent(session, event=event)
    view = {"event": reading.to_read(event), "earlier": earlier, "later": later}
    return render(request, "events/event.html", view, json_url=f"/api/v1/events/{slug}")
