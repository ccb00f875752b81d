"""The actor page: who they are, their events and what they said; a state lists its people."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.actors import service
from app.actors.schemas import ActorRead, ActorRef
from app.deps import SessionDep
from app.events import service as event_service
from app.web import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 100


@router.get("/actors/{slug}", response_class=HTMLResponse)
def actor_page(
    slug: str, request: Request, session: SessionDep, cursor: str | None = None
) -> HTMLResponse:
    actor = service.get_by_slug(session, slug=slug)
    page = event_service.list_events(
        session, filters=event_service.EventFilters(actors=[slug]), limit=PAGE_SIZE, cursor=cursor
    )
    events = [event_service.to_read(e) for e in page.items]
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
        "events": events,
        "statements": statements,
        "next_url": f"/actors/{slug}?cursor={page.next_cursor}" if page.next_cursor else None,
        "timeline_url": f"/?actor={slug}",
    }
    return render(request, "actors/actor.html", view, json_url=f"/api/v1/actors/{slug}")
