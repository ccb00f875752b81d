"""The pages of one actor, place or series: who or what it is, and its events on the timeline
(an actor's page also lists what they and their people said; a state lists its people)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from app.actors import service as actor_service
from app.actors.schemas import ActorRead, ActorRef
from app.common.pages import render
from app.core.deps import SessionDep
from app.events import documents
from app.events.query import EventQuery
from app.places import service as place_service
from app.places.schemas import PlaceRead
from app.series import service as series_service
from app.series.schemas import SeriesRead

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 100


def _their_events(
    session: Session, request: Request, parameter: str, slug: str, cursor: str | None
) -> dict[str, Any]:
    """A page of the events the list's `parameter` (actor, place, series) finds by this
    slug, the link to the next page, and to the timeline showing them."""
    filters = EventQuery.model_validate({parameter: [slug]}).filters()
    events, next_cursor = documents.page(session, filters=filters, limit=PAGE_SIZE, cursor=cursor)
    return {
        "events": events,
        "next_url": f"{request.url.path}?cursor={next_cursor}" if next_cursor else None,
        "timeline_url": f"/?{parameter}={slug}",
    }


@router.get("/actors/{slug}", response_class=HTMLResponse)
def actor_page(
    slug: str, request: Request, session: SessionDep, cursor: str | None = None
) -> HTMLResponse:
    actor = actor_service.get_by_slug(session, slug=slug)
    theirs = _their_events(session, request, "actor", slug, cursor)
    events = theirs["events"]
    # Their statements: the quotes on these events that they, or their people, are cited for.
    statements = [
        (event, citation)
        for event in events
        for citation in event.sources
        if citation.quote
        and citation.speaker
        and (
            citation.speaker.slug == slug
            or (citation.speaker.affiliation and citation.speaker.affiliation.slug == slug)
        )
    ]
    view = {
        "actor": ActorRead.model_validate(actor),
        # Built by hand: a member's own affiliation is this actor, and is not loaded again.
        "members": [
            ActorRef(slug=m.slug, name=m.name, kind=m.kind, title=m.title)
            for m in sorted(actor.members, key=lambda m: m.name)
        ],
        "statements": statements,
        **theirs,
    }
    return render(request, "actors/actor.html", view, json_url=f"/api/v1/actors/{slug}")


@router.get("/places/{slug}", response_class=HTMLResponse)
def place_page(
    slug: str, request: Request, session: SessionDep, cursor: str | None = None
) -> HTMLResponse:
    place = place_service.get_by_slug(session, slug=slug)
    view = {
        "place": PlaceRead.model_validate(place),
        **_their_events(session, request, "place", slug, cursor),
    }
    return render(request, "places/place.html", view, json_url=f"/api/v1/places/{slug}")


@router.get("/series/{slug}", response_class=HTMLResponse)
def series_page(
    slug: str, request: Request, session: SessionDep, cursor: str | None = None
) -> HTMLResponse:
    series = series_service.get_by_slug(session, slug=slug)
    theirs = _their_events(session, request, "series", slug, cursor)
    view = {
        "series": SeriesRead.model_validate(series),
        "rounds": [e for e in theirs["events"] if e.round is not None],
        "others": [e for e in theirs["events"] if e.round is None],
        **theirs,
    }
    return render(request, "series/series.html", view, json_url=f"/api/v1/series/{slug}")
