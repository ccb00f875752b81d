"""The series page: a thread of talks, its rounds in order."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.deps import SessionDep
from app.events import service as event_service
from app.series import service
from app.series.schemas import SeriesRead
from app.web import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 100


@router.get("/series/{slug}", response_class=HTMLResponse)
def series_page(
    slug: str, request: Request, session: SessionDep, cursor: str | None = None
) -> HTMLResponse:
    series = service.get_by_slug(session, slug=slug)
    page = event_service.list_events(
        session, filters=event_service.EventFilters(series=[slug]), limit=PAGE_SIZE, cursor=cursor
    )
    events = [event_service.to_read(e) for e in page.items]
    view = {
        "series": SeriesRead.model_validate(series),
        "rounds": [e for e in events if e.round is not None],
        "others": [e for e in events if e.round is None],
        "next_url": f"/series/{slug}?cursor={page.next_cursor}" if page.next_cursor else None,
        "timeline_url": f"/?series={slug}",
    }
    return render(request, "series/series.html", view, json_url=f"/api/v1/series/{slug}")
