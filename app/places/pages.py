"""The place page: where it is and what happened there."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.deps import SessionDep
from app.events import service as event_service
from app.places import service
from app.places.schemas import PlaceRead
from app.web import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 100


@router.get("/places/{slug}", response_class=HTMLResponse)
def place_page(
    slug: str, request: Request, session: SessionDep, cursor: str | None = None
) -> HTMLResponse:
    place = service.get_by_slug(session, slug=slug)
    page = event_service.list_events(
        session, filters=event_service.EventFilters(places=[slug]), limit=PAGE_SIZE, cursor=cursor
    )
    view = {
        "place": PlaceRead.model_validate(place),
        "events": [event_service.to_read(e) for e in page.items],
        "next_url": f"/places/{slug}?cursor={page.next_cursor}" if page.next_cursor else None,
        "timeline_url": f"/?place={slug}",
    }
    return render(request, "places/place.html", view, json_url=f"/api/v1/places/{slug}")
