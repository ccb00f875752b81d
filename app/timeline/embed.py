"""The embeddable timeline (`/embed`, which any site may frame) and the oEmbed answer that
hands out its iframe (`/oembed`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from starlette.datastructures import QueryParams

from app.common.pages import render
from app.common.schemas import WholeNumber
from app.core.deps import SessionDep
from app.core.errors import NotFound, UnsupportedFormat
from app.events.models import Event
from app.timeline.pages import kept_extent
from app.timeline.query import TimelineQuery, checked_filters
from app.timeline.sharing import EMBED_HEIGHT, EMBED_WIDTH, embed_of_page, iframe

router = APIRouter(include_in_schema=False)


@router.get("/embed", response_class=HTMLResponse)
def embed(request: Request, session: SessionDep) -> HTMLResponse:
    """The interactive timeline alone, for an iframe: the filters, window and lanes of its
    address, and a link back to the full page."""
    query = TimelineQuery.parse(request.query_params)
    filters = checked_filters(session, query)
    summary = kept_extent(request, session, filters)
    full_page = query.url(
        "/",
        lanes=query.lanes if query.lanes != "party" else None,
        start=query.start.isoformat() if query.start else None,
        end=query.end.isoformat() if query.end else None,
        event=query.event,
    )
    view = {
        "query": query,
        "total": summary.total,
        "total_label": summary.label,
        "extent": {"first": summary.first, "last": summary.last},
        "today": dt.datetime.now(dt.UTC).date(),
        "full_page": full_page,
    }
    return render(request, "timeline/embed.html", view)


@router.get("/oembed")
def oembed(
    request: Request,
    session: SessionDep,
    url: Annotated[str, Query(max_length=4000, description="A page of this site.")],
    maxwidth: Annotated[WholeNumber | None, Query(ge=1, le=10_000)] = None,
    maxheight: Annotated[WholeNumber | None, Query(ge=1, le=10_000)] = None,
    format: Annotated[str, Query(max_length=20)] = "json",
) -> dict[str, Any]:
    """oEmbed 1.0: a `rich` answer whose html is the iframe of the timeline that page shows."""
    if format != "json":
        raise UnsupportedFormat(f"oEmbed is answered as JSON only, not {format!r}")
    path = embed_of_page(url, host=request.url.netloc)
    # What the iframe would show must exist: an event by its slug, filters that name something.
    embedded = TimelineQuery.parse(QueryParams(urlsplit(path).query))
    checked_filters(session, embedded)
    site = request.app.state.settings.site_title
    title = f"{site}: timeline"
    if embedded.event:
        # An event's page embeds the timeline at that event, under the event's title.
        event_title = session.scalar(select(Event.title).where(Event.slug == embedded.event))
        if event_title is None:
            raise NotFound(f"there is no event {embedded.event!r} to embed")
        title = f"{event_title} · {site}"
    width = min(EMBED_WIDTH, maxwidth or EMBED_WIDTH)
    height = min(EMBED_HEIGHT, maxheight or EMBED_HEIGHT)
    base = str(request.base_url).rstrip("/")
    return {
        "version": "1.0",
        "type": "rich",
        "provider_name": site,
        "provider_url": f"{base}/",
        "title": title,
        "html": iframe(f"{base}{path}", title=title, width=width, height=height),
        "width": width,
        "height": height,
        "cache_age": 3600,
    }
