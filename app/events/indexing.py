"""What an event keeps of its related records, kept current: its search text holds the names
and aliases of its place, people, series and tags, so renaming one of them re-indexes its
events in the same transaction; and its document (`documents.py`) holds everything its
answer shows, so any write that changes that (the event, its participants, citations or
links, a linked event, or a shown field of an actor, place, series, tag or source) makes
the documents of the events concerned again, in the same flush. The events package owns
these listeners, so that actors, places, series, tags and sources need know nothing of
events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import inspect, select
from sqlalchemy import update as sa_update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.actors.models import Actor
from app.events import documents, facet_rows, search, tallies
from app.events.models import Event, EventLink, Participation
from app.events.reading import load_options
from app.places.models import Place
from app.series.models import Series
from app.sources.models import Citation, Source
from app.tags.models import Tag, event_tag

#: The fields of related records that an event's search text holds.
INDEXED: dict[type[Any], tuple[str, ...]] = {
    Actor: ("name", "aliases"),
    Place: ("name", "aliases"),
    Series: ("title",),
    Tag: ("name",),
}
_RENAMED = "parley_renamed"
_SHOWN = "parley_documents"
#: Records an event's answer embeds (an actor also as the side its people speak for).
SHOWN = (Actor, Place, Series, Tag, Source)
#: The lists an event's answer shows, each in the order the database gives it (the
#: relationships' `order_by`): an event rendered from the writer's objects puts them in that
#: order first, so its document is the one a fresh read would make.
SHOWN_LISTS: dict[str, Callable[[Any], Any]] = {
    "participations": lambda p: p.id,
    "citations": lambda c: (c.position, c.id),
    "tags": lambda t: t.name,
    "links_out": lambda link: link.id,
    "links_in": lambda link: link.id,
    "media": lambda use: (use.position, use.id),
}
#: What an event's answer shows of its relationships: all of them loaded (`load_options`)
#: or none of it is taken from the object.
SHOWN_RELATIONSHIPS = frozenset({"place", "series", *SHOWN_LISTS})


def search_text(event: Event) -> str:
    """The words `q` finds the event by, in one string (see Event.search_text)."""
    parts: list[str] = [event.title, event.summary or "", event.body or ""]
    if event.place is not None:
        parts += [event.place.name, *event.place.aliases]
    names: dict[int, Actor] = {}
    for participation in event.participations:
        names[id(participation.actor)] = participation.actor
    for citation in event.citations:
        parts += [quote for quote in (citation.quote, citation.original_quote) if quote]
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
    if isinstance(record, Source):
        return Event.id.in_(select(Citation.event_id).where(Citation.source_id == record.id))
    return Event.id.in_(select(event_tag.c.event_id).where(event_tag.c.tag_id == record.id))


def _events_showing(session: Session, record: Any) -> set[int]:
    """The events whose answer shows this record: for an actor, also those showing one of
    the people who speak for it (an answer names each person's side)."""
    records = [record]
    if isinstance(record, Actor) and record.id is not None:
        members = session.scalars(select(Actor).where(Actor.affiliation_id == record.id))
        records += list(members)
    shown: set[int] = set()
    for one in records:
        shown.update(session.scalars(select(Event.id).where(events_naming(one))))
    return shown


def _linked(session: Session, event_ids: set[int]) -> set[int]:
    """The events linked to or from these ones: each shows the other's title and date."""
    if not event_ids:
        return set()
    rows = session.execute(
        select(EventLink.from_event_id, EventLink.to_event_id).where(
            EventLink.from_event_id.in_(event_ids) | EventLink.to_event_id.in_(event_ids)
        )
    )
    return {event_id for row in rows for event_id in row}


@sqlalchemy_event.listens_for(Session, "before_flush")
def _note_renames(session: Session, _context: Any, _instances: Any) -> None:
    # What a flush that failed had noted is not this one's: its changes were rolled back
    # with its SAVEPOINT, and the writes after it in the transaction must not replay them.
    session.info.pop(_RENAMED, None)
    session.info.pop(_SHOWN, None)
    for record in session.dirty:
        names = INDEXED.get(type(record))
        state = inspect(record)
        if names and any(state.attrs[name].history.has_changes() for name in names):
            session.info.setdefault(_RENAMED, []).append(record)
    _note_shown(session)


def _note_shown(session: Session) -> None:
    """Before the flush: what it will write that some event's answer shows.

    Objects are kept (new ones have no id yet); the links of changed events are read now,
    while the database still holds the ones this flush may remove. The events it inserts
    are noted apart: they have no document or choice rows to remove.
    """
    changed = [
        record
        for record in (*session.new, *session.dirty, *session.deleted)
        if isinstance(record, Event | Participation | Citation | EventLink)
        or (isinstance(record, SHOWN) and session.is_modified(record))
    ]
    if changed:
        persisted = {r.id for r in changed if isinstance(r, Event) and r.id is not None}
        born = [record for record in session.new if isinstance(record, Event)]
        session.info.setdefault(_SHOWN, []).append((changed, _linked(session, persisted), born))


def _shown_ids(session: Session, changed: list[Any]) -> set[int]:
    ids: set[int] = set()
    for record in changed:
        if isinstance(record, Event):
            ids.add(record.id)
        elif isinstance(record, Participation | Citation):
            ids.add(record.event_id)
        elif isinstance(record, EventLink):
            ids.update((record.from_event_id, record.to_event_id))
        else:
            ids.update(_events_showing(session, record))
    return ids


@sqlalchemy_event.listens_for(Session, "after_flush_postexec")
def _reindex(session: Session, _context: Any) -> None:
    for record in session.info.pop(_RENAMED, ()):
        refresh_search_text(session, condition=events_naming(record))
    for changed, linked_before, born in session.info.pop(_SHOWN, ()):
        ids = {i for i in _shown_ids(session, changed) | linked_before if i is not None}
        # Inserted by this flush: no document or choice rows of theirs to remove yet.
        new = {event.id for event in born if event.id is not None}
        connection = session.connection()
        documents.refresh(connection, ids, loaded=_whole(changed), new=new)
        tallies.record(session, facet_rows.refresh(connection, ids, new=new))


def _whole(changed: list[Any]) -> dict[int, Event]:
    """The changed events that hold everything their answer shows (loaded with
    `load_options`, or made whole by the service), by id: their documents are rendered from
    them rather than read again."""
    whole: dict[int, Event] = {}
    for record in changed:
        if isinstance(record, Event) and record.id is not None:
            state: Any = inspect(record)
            if not state.expired and not (state.unloaded & SHOWN_RELATIONSHIPS):
                for name, key in SHOWN_LISTS.items():
                    set_committed_value(record, name, sorted(getattr(record, name), key=key))
                whole[record.id] = record
    return whole
