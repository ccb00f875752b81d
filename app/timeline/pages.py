"""The timeline page (`/`) and the about page: thin views over the event and timeline services."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from app.common.pages import render
from app.core.deps import SessionDep
from app.events import documents, highlight, listing, search
from app.events.schemas import EventRead
from app.timeline import service as timeline_service
from app.timeline import story as story_service
from app.timeline.facets import CAP, Choice, count, facets, shown
from app.timeline.query import LIST_FILTERS, TimelineQuery, checked_filters
from app.timeline.sharing import embed_path, exports, iframe

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
    # The aggregates over the matching events, with the first page's events where all of
    # them were counted; else the page is walked by index.
    summary, counted, listed = request.app.state.kept_aggregates.get(
        session, ("timeline", repr(filters)), lambda: _aggregates(session, filters)
    )
    if listed is not None and not query.cursor:
        events, next_cursor = documents.first_page(session, listed, PAGE_SIZE, today)
    else:
        events, next_cursor = documents.page(
            session, filters=filters, limit=PAGE_SIZE, cursor=query.cursor, today=today
        )
    upcoming = (
        []
        if query.cursor
        else timeline_service.upcoming(session, filters=filters, today=today, limit=UPCOMING_SIZE)
    )
    view = {
        "query": query,
        "filter_names": LIST_FILTERS,
        "terms": _terms(request, session, query.q),
        "total": summary.total,
        "total_label": summary.label,
        "months": _by_month(events),
        "shown": len(events),
        "upcoming": upcoming,
        "facets": shown(counted, query.chosen, query.expanded),
        "counted_cap": CAP,
        "next_url": query.url(
            "/",
            lanes=query.lanes,
            cursor=next_cursor,
            start=_iso(query.start),
            end=_iso(query.end),
        )
        if next_cursor
        else None,
        "first_url": query.url("/", lanes=query.lanes) if query.cursor else None,
        "today": today,
        "extent": {"first": summary.first, "last": summary.last},
        **_sharing(request, query),
    }
    return render(request, "timeline/index.html", view, json_url=query.url("/api/v1/events"))


def kept_extent(
    request: Request, session: Session, filters: listing.EventFilters
) -> timeline_service.Extent:
    """How many events match and their span, kept while the data is unchanged."""
    extent: timeline_service.Extent = request.app.state.kept_aggregates.get(
        session,
        ("extent", repr(filters)),
        lambda: timeline_service.extent(session, filters=filters),
    )
    return extent


def _aggregates(
    session: Session, filters: listing.EventFilters
) -> tuple[timeline_service.Extent, dict[str, list[Choice]], list[tuple[int, dt.datetime]] | None]:
    """How many events match and their span, the counts per filter choice, and the keys of
    the first page where every match was counted: the matching events found once for all."""
    everything = count(session, filters, listed=PAGE_SIZE + 1)
    return (
        timeline_service.extent(session, filters=filters, counted=everything),
        facets(session, filters, everything),
        everything.listed,
    )


@router.get("/story", response_class=HTMLResponse)
def story(request: Request, session: SessionDep) -> HTMLResponse:
    """One event at a time, large, with links to the events before and after it within the
    filters of the URL: each step is an address of its own."""
    query = TimelineQuery.parse(request.query_params)
    filters = checked_filters(session, query)
    summary = kept_extent(request, session, filters)
    today = dt.datetime.now(dt.UTC).date()
    step = story_service.step(
        session, filters=filters, slug=query.event, total=summary.total, today=today
    )
    view = {
        "query": query,
        "story": step,
        "total_label": summary.label,
        "terms": _terms(request, session, query.q),
        "counted": story_service.COUNTED,
    }
    json_url = f"/api/v1/events/{step.event.slug}" if step else query.url("/api/v1/events")
    return render(request, "timeline/story.html", view, json_url=json_url)


def _terms(request: Request, session: Session, q: str | None) -> highlight.Terms:
    """The words of the search, and the actors and places they find by an alias only (the
    aliases are kept while the data is unchanged)."""
    if not search.words(q):
        return highlight.Terms([], {})
    index = request.app.state.kept_aggregates.get(
        session, ("aliases",), lambda: highlight.alias_index(session)
    )
    return highlight.terms(q, index)


def _sharing(request: Request, query: TimelineQuery) -> dict[str, object]:
    """The downloads and subscriptions of the filters shown, and the iframe that embeds the
    view (the page's own address; static/js/share.js keeps it current as the view moves)."""
    base = str(request.base_url).rstrip("/")
    title = f"{request.app.state.settings.site_title}: timeline"
    offered = exports(query)
    return {
        "exports": offered,
        "base_url": base,
        "webcal_url": f"webcal://{request.url.netloc}{offered['calendar'].url}",
        "embed_title": title,
        "embed_snippet": iframe(base + embed_path(request.query_params.multi_items()), title=title),
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@router.get("/about", response_class=HTMLResponse)
def about(request: Request, session: SessionDep) -> HTMLResponse:
    everything = listing.EventFilters()
    summary = kept_extent(request, session, everything)
    counts = {"events": summary.total}
    return render(request, "about.html", {"counts": counts}, json_url="/api/v1/events")
