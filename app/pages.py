"""The timeline page (`/`) and the about page: thin views over the event and timeline services."""

from __future__ import annotations

import dataclasses
import datetime as dt
from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from app.deps import SessionDep
from app.events import service as event_service
from app.events.models import PLANNED_STATUSES, Event
from app.events.schemas import EventRead
from app.timeline.facets import facets
from app.timeline.query import LIST_FILTERS, TimelineQuery
from app.web import render

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


def _planned(
    session: SessionDep, filters: event_service.EventFilters, today: dt.date
) -> list[EventRead]:
    """Planned events whose date has not passed: the "Upcoming" block."""
    statuses = [s for s in PLANNED_STATUSES if not filters.statuses or s in filters.statuses]
    if not statuses:
        return []
    planned = dataclasses.replace(
        filters,
        statuses=statuses,
        extra=[*filters.extra, func.coalesce(Event.end_date, Event.start_date) >= today],
    )
    page = event_service.list_events(session, filters=planned, limit=UPCOMING_SIZE)
    return [event_service.to_read(e, today) for e in page.items]


@router.get("/", response_class=HTMLResponse)
def timeline(request: Request, session: SessionDep) -> HTMLResponse:
    query = TimelineQuery.parse(request.query_params)
    filters = query.filters()
    today = dt.datetime.now(dt.UTC).date()
    page = event_service.list_events(session, filters=filters, limit=PAGE_SIZE, cursor=query.cursor)
    events = [event_service.to_read(e, today) for e in page.items]
    matching = event_service.filtered(filters).subquery()
    total, first, last = session.execute(
        select(
            func.count(),
            func.min(matching.c.start_date),
            func.max(func.coalesce(matching.c.end_date, matching.c.start_date)),
        )
    ).one()
    view = {
        "query": query,
        "filter_names": LIST_FILTERS,
        "total": total or 0,
        "months": _by_month(events),
        "shown": len(events),
        "upcoming": _planned(session, filters, today) if not query.cursor else [],
        "facets": facets(session, filters),
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
        "extent": {"first": first, "last": last},
    }
    return render(request, "timeline/index.html", view, json_url=query.url("/api/v1/events"))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@router.get("/about", response_class=HTMLResponse)
def about(request: Request, session: SessionDep) -> HTMLResponse:
    counts = {
        "events": session.scalar(
            select(func.count()).select_from(
                event_service.filtered(event_service.EventFilters()).subquery()
            )
        )
        or 0,
    }
    return render(request, "about.html", {"counts": counts}, json_url="/api/v1/events")
