"""Changing events: create, update, delete and restore, every change a revision."""

from __future__ import annotations

import datetime as dt
from secrets import token_hex
from typing import Any

from sqlalchemy import bindparam, exists, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from app.actors.models import Actor
from app.common.references import Loc, resolve
from app.common.slugs import slugify, unique_slug
from app.core.base import utcnow
from app.core.errors import EditConflict, InvalidInput
from app.events.fields import PLAIN_FIELDS, WRITE_FIELDS
from app.events.indexing import SHOWN_LISTS, search_text
from app.events.models import Event, EventLink, EventMedia, Participation, Revision
from app.events.reading import get_by_slug
from app.events.revisions import get_revision, snapshot
from app.events.schemas import EventCreate, EventReplace, EventUpdate, event_field_problems
from app.media import service as media_service
from app.media.models import Media
from app.places.models import Place
from app.series.models import Series
from app.sources.models import Citation, Source
from app.tags.models import Tag

#: The statements every write runs, put together once: building one cost more than running it.
_SLUG_TAKEN = select(exists().where(Event.slug == bindparam("slug")))
#: The sources read as the database holds them, over any object of the same id in the session
#: (one that a rolled-back SAVEPOINT left there, whose row is gone).
_SOURCES = (
    select(Source)
    .where(Source.url.in_(bindparam("urls", expanding=True)))
    .execution_options(populate_existing=True)
)
_NEW_SOURCES = {
    name: dialect.insert(Source)
    .on_conflict_do_nothing(index_elements=["url"])
    .returning(Source.id, Source.url)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
_NEW_REVISION = insert(Revision)
#: An actor with the side it speaks for, which an answer shows.
_WITH_SIDE = joinedload(Actor.affiliation)


def _slug_taken(session: Session, slug: str) -> bool:
    return bool(session.connection().scalar(_SLUG_TAKEN, {"slug": slug}))


def _apply(session: Session, event: Event, fields: dict[str, Any]) -> None:
    """Set the given write-form fields on the event, resolving every slug first."""
    wanted_actors: list[tuple[Loc, str]] = []  # (field, slug)
    for index, participant in enumerate(fields.get("participants") or []):
        wanted_actors.append((("participants", index, "actor"), participant["actor"]))
    for index, source in enumerate(fields.get("sources") or []):
        if source.get("speaker"):
            wanted_actors.append((("sources", index, "speaker"), source["speaker"]))
    # An event's write changes none of these: they are kept for the session's next writes.
    actors = resolve(session, Actor, wanted_actors, "actor", _WITH_SIDE, kept=True)
    places = resolve(
        session,
        Place,
        [(("place",), fields["place"])] if fields.get("place") else [],
        "place",
        kept=True,
    )
    series = resolve(
        session,
        Series,
        [(("series",), fields["series"])] if fields.get("series") else [],
        "series",
        kept=True,
    )
    tags = resolve(
        session,
        Tag,
        [(("tags", i), slug) for i, slug in enumerate(fields.get("tags") or [])],
        "tag",
        kept=True,
    )
    links = fields.get("links") or []
    linked = resolve(
        session,
        Event,
        [(("links", i, "event"), link["event"]) for i, link in enumerate(links)],
        "event",
    )
    problems = _link_and_role_problems(event, fields, linked)
    if problems:
        raise InvalidInput(
            problems[0][1],
            errors=[{"loc": list(loc), "msg": msg, "type": "value_error"} for loc, msg in problems],
        )
    sources = _sources_for(session, fields.get("sources") or [])
    images = media_service.by_urls(session, [m["url"] for m in fields.get("media") or []])
    # No flush until _record: a flush in between would write the event twice and spend two
    # version numbers on one change.
    with session.no_autoflush:
        _assign(event, fields, places, series, actors, tags, linked, sources)
        if "media" in fields:
            _assign_media(event, fields["media"] or [], images)


def _link_and_role_problems(
    event: Event, fields: dict[str, Any], linked: dict[str, Event]
) -> list[tuple[Loc, str]]:
    """Links to itself or to a deleted event, and an actor listed twice in one role."""
    problems: list[tuple[Loc, str]] = []
    for index, link in enumerate(fields.get("links") or []):
        target = linked[link["event"]]
        if target is event or target.slug == event.slug:
            problems.append((("links", index, "event"), "an event cannot link to itself"))
        elif target.deleted_at is not None:
            problems.append((("links", index, "event"), f"the event {target.slug!r} was deleted"))
    seen_roles: set[tuple[str, str]] = set()
    for index, participant in enumerate(fields.get("participants") or []):
        pair = (participant["actor"], participant["role"])
        if pair in seen_roles:
            problems.append(
                (("participants", index), f"{pair[0]!r} is already listed as {pair[1]}")
            )
        seen_roles.add(pair)
    return problems


def _assign_media(event: Event, wanted: list[dict[str, Any]], images: dict[str, Media]) -> None:
    """The event's images in the order given, each with the words this event says with it."""
    event.media = [
        EventMedia(
            media=images[item["url"]],
            position=position,
            alt=item["alt"],
            credit=item.get("credit") or None,
            caption=item.get("caption") or None,
        )
        for position, item in enumerate(wanted)
    ]


def _assign(
    event: Event,
    fields: dict[str, Any],
    places: dict[str, Place],
    series: dict[str, Series],
    actors: dict[str, Actor],
    tags: dict[str, Tag],
    linked: dict[str, Event],
    sources: dict[str, Source],
) -> None:
    links = fields.get("links") or []
    for field in PLAIN_FIELDS:
        if field.name in fields:
            setattr(event, field.name, fields[field.name])
    if "place" in fields:
        event.place = places[fields["place"]] if fields["place"] else None
    if "series" in fields:
        event.series = series[fields["series"]] if fields["series"] else None
    if "participants" in fields:
        # Rows that stay are kept, not deleted and re-inserted: the flush would insert the
        # new row before deleting the old one and break the (event, actor, role) key.
        kept_roles: dict[tuple[int, str], Participation | None] = {
            (p.actor_id, p.role): p for p in event.participations
        }
        event.participations = [
            kept_roles.pop((actors[p["actor"]].id, p["role"]), None)
            or Participation(actor=actors[p["actor"]], role=p["role"])
            for p in fields["participants"] or []
        ]
    if "sources" in fields:
        event.citations = [
            Citation(
                source=sources[source["url"]],
                quote=source.get("quote"),
                original_quote=source.get("original_quote"),
                original_language=source.get("original_language"),
                speaker=actors[source["speaker"]] if source.get("speaker") else None,
                position=position,
            )
            for position, source in enumerate(fields["sources"] or [])
        ]
    if "tags" in fields:
        event.tags = [tags[slug] for slug in dict.fromkeys(fields["tags"] or [])]
    if "links" in fields:
        unique_links = dict.fromkeys((link["kind"], link["event"]) for link in links)
        kept_links: dict[tuple[str, int], EventLink | None] = {
            (link.kind, link.to_event_id): link for link in event.links_out
        }
        event.links_out = [
            kept_links.pop((kind, linked[slug].id), None)
            or EventLink(kind=kind, to_event=linked[slug])
            for kind, slug in unique_links
        ]
    event.starts_at = dt.datetime.combine(event.start_date, event.start_time or dt.time.min)
    event.search_text = search_text(event)
    event.updated_at = utcnow()


def _sources_for(session: Session, cited: list[dict[str, Any]]) -> dict[str, Source]:
    """The sources cited, by URL; new URLs become new sources (an existing source is not
    rewritten by a citation). The new ones are written in one statement that leaves alone
    a URL another writer created a moment ago, so that theirs is used instead of the whole
    change failing, and answers those it wrote; the others are read in one query."""
    new: dict[str, dict[str, Any]] = {}
    for citation in cited:
        new.setdefault(citation["url"], citation)  # a URL cited twice: its first description
    if not new:
        return {}
    rows_by_url = {
        url: {
            "url": url,
            "publisher": data["publisher"],
            "title": data.get("title"),
            "published_on": data.get("published_on"),
            "language": data.get("language"),
        }
        for url, data in new.items()
    }
    rows = list(rows_by_url.values())
    connection = session.connection()
    sources: dict[str, Source] = {}
    for source_id, url in connection.execute(_NEW_SOURCES[connection.dialect.name], rows):
        # Just written with these values: taken into the session as it is, not read back;
        # merged, since a SAVEPOINT rolled back since may have left the session an object of
        # this id whose row is gone (SQLite gives a rolled-back row's id again).
        written = Source(id=source_id, **rows_by_url[url])
        make_transient_to_detached(written)
        sources[url] = session.merge(written, load=False)
    if len(sources) < len(new):
        urls = [url for url in new if url not in sources]
        sources.update((s.url, s) for s in session.scalars(_SOURCES, {"urls": urls}))
    return sources


def _record(
    session: Session, event: Event, *, action: str, author: str, reason: str | None
) -> None:
    """Save the change, and keep it as the event's next revision."""
    # Read before the flush: a flush that fails rolls the transaction back and expires the
    # event, and its slug could then not be read to say which event it was.
    slug = event.slug
    try:
        session.flush()
    except StaleDataError:
        raise EditConflict(
            f"the event {slug!r} was changed by someone else while this change was made"
        ) from None
    # A row nothing in the session reads again: written as a row, not an object, which the
    # flush would otherwise take as much work over as over the event itself.
    session.connection().execute(
        _NEW_REVISION,
        {
            "event_id": event.id,
            "version": event.version,
            "action": action,
            "author": author,
            "reason": reason or None,
            "snapshot": snapshot(event),
        },
    )


def _write_fields(data: EventCreate | EventReplace | EventUpdate, *, full: bool) -> dict[str, Any]:
    """The fields a write sets: all of them, or (a PATCH) those it names. The items of a list
    it sends are whole, with their defaults: a participant without a role is a party."""
    dumped = data.model_dump(exclude={"slug", "reason"})
    named = set(WRITE_FIELDS) if full else data.model_fields_set
    return {name: dumped[name] for name in WRITE_FIELDS if name in named and name in dumped}


def create(session: Session, *, data: EventCreate, author: str, reason: str | None = None) -> Event:
    fields = _write_fields(data, full=True)
    base = slugify(f"{data.start_date.isoformat()} {data.title}")
    for attempt in range(10):
        if data.slug:
            slug = data.slug
        elif attempt == 0:
            # Most titles are new on their day: the insert itself says when the slug is taken
            # (below), rather than a question before every insert.
            slug = base
        else:
            if attempt >= 3:
                # Many writers racing for one title: stop queueing behind each other.
                base = f"{slugify(f'{data.start_date.isoformat()} {data.title}')}-{token_hex(2)}"
            slug = unique_slug(base, lambda candidate: _slug_taken(session, candidate))
        # Every list it shows set (a new event is linked from nothing), so that its stored
        # answer is made from these objects rather than read back; set as loaded, so that
        # the flush has nothing to do for those the write leaves empty.
        event = Event(slug=slug)
        for name in SHOWN_LISTS:
            set_committed_value(event, name, [])
        try:
            # The slug may be taken, by an event saved before or by another writer between
            # the check and the insert: the savepoint lets us pick the next free one instead
            # of failing.
            with session.begin_nested():
                _apply(session, event, fields)
                # Made and last changed at the same moment, not a few milliseconds apart.
                event.created_at = event.updated_at
                session.add(event)
                session.flush()
        except IntegrityError as exc:
            if not any(name in str(exc.orig) for name in ("uq_event_slug", "event.slug")):
                raise
            if data.slug:
                raise InvalidInput.field(
                    ["slug"], f"the slug {data.slug!r} is taken", "slug_taken"
                ) from None
            continue
        _record(session, event, action="create", author=author, reason=reason or data.reason)
        return event
    raise InvalidInput.field(["slug"], "could not find a free slug; give one", "slug_taken")


def _check_version(event: Event, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != event.version:
        raise EditConflict(
            f"the event {event.slug!r} is at version {event.version}, "
            f"not {expected_version}: someone saved it since; nothing was changed",
            extra={"current_version": event.version},
        )


def update(
    session: Session,
    *,
    slug: str,
    data: EventUpdate | EventReplace,
    expected_version: int | None,
    author: str,
    reason: str | None = None,
    event: Event | None = None,
) -> Event:
    """PATCH (EventUpdate: the fields given) or PUT (EventReplace: every field). `event` is
    the event if the caller has loaded it already (with `get_by_slug`): it is not read again."""
    event = event or get_by_slug(session, slug=slug)
    _check_version(event, expected_version)
    fields = _write_fields(data, full=isinstance(data, EventReplace))
    merged = {
        **{field.name: getattr(event, field.name) for field in PLAIN_FIELDS},
        "series": event.series_id,
        **fields,
    }
    problems = event_field_problems(merged)
    if problems:
        raise InvalidInput(
            problems[0][1],
            errors=[{"loc": [f], "msg": m, "type": "value_error"} for f, m in problems],
        )
    _apply(session, event, fields)
    _record(session, event, action="update", author=author, reason=reason or data.reason)
    return event


def delete(
    session: Session,
    *,
    slug: str,
    expected_version: int | None,
    author: str,
    reason: str | None = None,
) -> None:
    """A tombstone: the event stays, answers 410 and can be restored."""
    event = get_by_slug(session, slug=slug)
    _check_version(event, expected_version)
    event.deleted_at = utcnow()
    event.updated_at = event.deleted_at
    _record(session, event, action="delete", author=author, reason=reason)


def restore(
    session: Session,
    *,
    slug: str,
    version: int,
    author: str,
    reason: str | None = None,
    expected_version: int | None = None,
) -> Event:
    """Bring back the event as it was at `version` (undeleting it if need be), as a new revision."""
    event = get_by_slug(session, slug=slug, include_deleted=True)
    _check_version(event, expected_version)
    revision = get_revision(session, slug=slug, version=version)
    state = dict(revision.snapshot)
    if state.get("deleted"):
        raise InvalidInput.field(
            ["version"], f"version {version} is a deletion; restore a version before it"
        )
    fields = EventReplace.model_validate(
        {name: state.get(name) for name in WRITE_FIELDS if state.get(name) is not None},
        strict=False,
    )
    _apply(session, event, _write_fields(fields, full=True))
    # After _apply's lookups: set earlier, an autoflush would spend a version on it alone.
    event.deleted_at = None
    _record(
        session,
        event,
        action="restore",
        author=author,
        reason=reason or f"restored version {version}",
    )
    return event
