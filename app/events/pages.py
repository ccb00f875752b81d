"""The event page: everything about one event, its sources and the events it links to."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.deps import SessionDep
from app.events import service
from app.web import render

router = APIRouter(include_in_schema=False)


@router.get("/events/{slug}", response_class=HTMLResponse)
def event_page(slug: str, request: Request, session: SessionDep) -> HTMLResponse:
    event = service.to_read(service.get_by_slug(session, slug=slug))
    return render(request, "events/event.html", {"event": event}, json_url=f"/api/v1/events/{slug}")
