"""The timeline page (`/`) and the about page: thin views over the event and timeline services."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.common.pages import render
from app.core.deps import SessionDep
from app.events import listing, reading
from app.events.schemas import EventRead
from app.timeline import service as timeline_service
from app.timeline.facets import facets
from app.timeline.query import LIST_FILTERS, TimelineQuery

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
UPCOMING_SIZE = 10


def _by_month(events: list[EventRead]) -> list[tuple[str, str, list[EventRead]]]:
    """(id, "January 2026", events) in the order the events come."""
    groups = []
    for (year, month), items in groupby(
        events, key=lambda e: (e.start_date.year, e.start_date.month)
    ):
        first = dt.date(year, month, 1)
        groups.append((f"month-{first:%Y-%m}", f"{first:%B %Y}", list(items)))
    return groups


@router.get("/", response_class=HTMLResponse)
def timeline(request: Request, session: SessionDep) -> HTMLResponse:
    query = TimelineQuery.parse(request.query_params)
    filters = query.filters()
    today = dt.datetime.now(dt.UTC).date()
    page = listing.list_events(session, filters=filters, limit=PAGE_SIZE, cursor=query.cursor)
    events = [reading.to_read(e, today) for e in page.items]
    # The two aggregates over every matching event; the rest reads one page by index.
    summary, counted = request.app.state.kept_aggregates.get(
        session,
        ("timeline", repr(filters)),
        lambda: (timeline_service.extent(session, filters=filters), facets(session, filters)),
    )
    upcoming = (
        []
        if query.cursor
        else timeline_service.upcoming(session, filters=filters, today=today, limit=UPCOMING_SIZE)
    )
    view = {
        "query": query,
        "filter_names": LIST_FILTERS,
        "total": summary.total,
        "months": _by_month(events),
        "shown": len(events),
        "upcoming": [reading.to_read(e, today) for e in upcoming],
        "facets": counted,
        "next_url": query.url(
            "/",
            lanes=query.lanes,
            cursor=page.next_cursor,
            start=_iso(query.start),
            end=_iso(query.end),
        )
        if page.next_cursor
        else None,
        "first_url": query.url("/", lanes=query.lanes) if query.cursor else None,
        "today": today,
        "extent": {"first": summary.first, "last": summary.last},
    }
    return render(request, "timeline/index.html", view, json_url=query.url("/api/v1/events"))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@router.get("/about", response_class=HTMLResponse)
def about(request: Request, session: SessionDep) -> HTMLResponse:
    everything = listing.EventFilters()
    summary = request.app.state.kept_aggregates.get(
        session,
        ("extent", repr(everything)),
        lambda: timeline_service.extent(session, filters=everything),
    )
    counts = {"events": summary.total}
    return render(request, "about.html", {"counts": counts}, json_url="/api/v1/events")
