"""What an event keeps of its related records, kept current: its search text holds the names
and aliases of its place, people, series and tags, so renaming one of them re-indexes its
events in the same transaction. The events package owns this listener, so that actors,
places, series and tags need know nothing of events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import inspect, select
from sqlalchemy import update as sa_update
from sqlalchemy.orm import Session

from app.actors.models import Actor
from app.events import search
from app.events.models import Event, Participation
from app.events.reading import load_options
from app.places.models import Place
from app.series.models import Series
from app.sources.models import Citation
from app.tags.models import Tag, event_tag

#: The fields of related records that an event's search text holds.
INDEXED: dict[type[Any], tuple[str, ...]] = {
    Actor: ("name", "aliases"),
    Place: ("name", "aliases"),
    Series: ("title",),
    Tag: ("name",),
}
_RENAMED = "parley_renamed"


def search_text(event: Event) -> str:
    """The words `q` finds the event by, in one string (see Event.search_text)."""
    parts: list[str] = [event.title, event.summary or "", event.body or ""]
    if event.place is not None:
        parts += [event.place.name, *event.place.aliases]
    names: dict[int, Actor] = {}
    for participation in event.participations:
        names[id(participation.actor)] = participation.actor
    for citation in event.citations:
        if citation.quote:
            parts.append(citation.quote)
        if citation.speaker is not None:
            names[id(citation.speaker)] = citation.speaker
    for actor in names.values():
        parts += [actor.name, *actor.aliases]
    parts += [tag.name for tag in event.tags]
    if event.series is not None:
        parts.append(event.series.title)
    return search.indexed_text("\n".join(part for part in parts if part))


def refresh_search_text(session: Session, *, condition: Any) -> int:
    """Recompute search_text for the events matching `condition` (after an actor, place,
    series or tag was renamed), without a new version: the event itself did not change."""
    ids = list(session.scalars(select(Event.id).where(condition).order_by(Event.id)))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        events = session.scalars(
            select(Event).where(Event.id.in_(chunk)).options(*load_options())
        ).all()
        for event in events:
            session.execute(
                sa_update(Event)
                .where(Event.id == event.id)
                .values(search_text=search_text(event))
                .execution_options(synchronize_session=False)
            )
    return len(ids)


def events_naming(record: Any) -> Any:
    """The condition for the events whose search text holds this actor, place, series or tag."""
    if isinstance(record, Actor):
        return Event.id.in_(
            select(Participation.event_id).where(Participation.actor_id == record.id)
        ) | Event.id.in_(select(Citation.event_id).where(Citation.speaker_id == record.id))
    if isinstance(record, Place):
        return Event.place_id == record.id
    if isinstance(record, Series):
        return Event.series_id == record.id
    return Event.id.in_(select(event_tag.c.event_id).where(event_tag.c.tag_id == record.id))


@sqlalchemy_event.listens_for(Session, "before_flush")
def _note_renames(session: Session, _context: Any, _instances: Any) -> None:
    for record in session.dirty:
        names = INDEXED.get(type(record))
        state = inspect(record)
        if names and any(state.attrs[name].history.has_changes() for name in names):
            session.info.setdefault(_RENAMED, []).append(record)


@sqlalchemy_event.listens_for(Session, "after_flush_postexec")
def _reindex(session: Session, _context: Any) -> None:
    for record in session.info.pop(_RENAMED, ()):
        refresh_search_text(session, condition=events_naming(record))
