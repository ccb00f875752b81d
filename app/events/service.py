"""Event logic: query, create, change, delete and restore, every change a revision."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from secrets import token_hex
from typing import Any, Literal

from sqlalchemy import Select, and_, exists, func, or_, select, tuple_
from sqlalchemy import update as sa_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import search
from app.actors.models import Actor
from app.db import utcnow
from app.errors import (
    EditConflict,
    EventGone,
    EventNotFound,
    InvalidInput,
    NotFound,
)
from app.events.models import Event, EventLink, Participation, Revision
from app.events.schemas import (
    EventCreate,
    EventRead,
    EventReplace,
    EventUpdate,
    event_field_problems,
)
from app.places.models import Place
from app.references import Loc, resolve
from app.series.models import Series
from app.slugs import slugify, unique_slug
from app.sources.models import Citation, Source
from app.tags.models import Tag, event_tag

Order = Literal["asc", "desc", "relevance"]
ORDERS: tuple[Order, ...] = ("asc", "desc", "relevance")

#: The plain fields of an event, set as given (the rest name related records by slug).
SCALAR_FIELDS = (
    "title",
    "summary",
    "body",
    "kind",
    "status",
    "start_date",
    "start_time",
    "end_date",
    "end_time",
    "date_precision",
    "date_approximate",
    "timezone",
    "round",
)
#: The fields of an event in write form, in the order a snapshot lists them.
WRITE_FIELDS = (*SCALAR_FIELDS, "place", "series", "participants", "sources", "tags", "links")


def load_options() -> list[Any]:
    """Everything an event answer shows, in a fixed number of queries whatever the page size.

    Each record one step away comes in one statement, and what it points to (a
    participant's actor and that actor's side, a citation's source and speaker) is joined
    into it: 7 statements for a page instead of 16, about 10-15% less CPU per list request
    (measured with `make bench`'s data).
    """
    return [
        joinedload(Event.place),
        joinedload(Event.series),
        selectinload(Event.participations)
        .joinedload(Participation.actor)
        .joinedload(Actor.affiliation),
        selectinload(Event.citations).options(
            joinedload(Citation.source),
            joinedload(Citation.speaker).joinedload(Actor.affiliation),
        ),
        selectinload(Event.tags),
        selectinload(Event.links_out).joinedload(EventLink.to_event),
        selectinload(Event.links_in).joinedload(EventLink.from_event),
    ]


# --- reading -------------------------------------------------------------------------------


@dataclass
class EventFilters:
    """The list filters of the API and the timeline page; empty means "any"."""

    from_date: dt.date | None = None
    to_date: dt.date | None = None
    kinds: Sequence[str] = ()
    statuses: Sequence[str] = ()
    actors: Sequence[str] = ()
    places: Sequence[str] = ()
    series: Sequence[str] = ()
    tags: Sequence[str] = ()
    q: str | None = None
    updated_since: dt.datetime | None = None
    include_deleted: bool = False
    extra: list[Any] = field(default_factory=list)


@dataclass
class Page:
    items: list[Event]
    next_cursor: str | None


def encode_cursor(key: tuple[Any, int], order: Order) -> str:
    """An opaque token for "after this row": the row's sort key and the order it is for."""
    first = key[0].isoformat() if isinstance(key[0], dt.datetime) else key[0]
    raw = json.dumps([first, key[1], order], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: Order) -> tuple[Any, int]:
    try:
        if len(cursor) > 500:
            raise ValueError("length")
        padded = cursor + "=" * (-len(cursor) % 4)
        first, event_id, cursor_order = json.loads(base64.urlsafe_b64decode(padded))
        if cursor_order != order or not isinstance(event_id, int):
            raise ValueError("order")
        if order == "relevance":
            if not isinstance(first, int | float) or isinstance(first, bool):
                raise ValueError("rank")
            return float(first), event_id
        return dt.datetime.fromisoformat(first), event_id
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidInput.field(
            ["query", "cursor"],
            "is not a cursor this list gave out (or it was made for another order)",
        ) from None


def filtered(filters: EventFilters) -> Select[Event]:
    """The events that match, unordered; the caller orders and pages."""
    query = select(Event)
    conditions: list[Any] = []
    if not filters.include_deleted:
        conditions.append(Event.deleted_at.is_(None))
    if filters.from_date:
        # Overlap, so a range that began before the window but runs into it still counts.
        conditions.append(
            or_(
                Event.start_date >= filters.from_date,
                and_(Event.end_date.is_not(None), Event.end_date >= filters.from_date),
            )
        )
        # The same rows again, said so that the (starts_at, id) indexes can seek to the
        # first of them instead of reading every earlier event: nothing that matches
        # starts before the earliest event still running on the from date.
        still_running = (
            select(func.min(Event.start_date))
            .where(Event.end_date >= filters.from_date, Event.start_date < filters.from_date)
            .scalar_subquery()
        )
        conditions.append(Event.starts_at >= func.coalesce(still_running, filters.from_date))
    if filters.to_date:
        conditions.append(Event.start_date <= filters.to_date)
        # The same bound on starts_at, so that an index walk stops there.
        conditions.append(Event.starts_at < filters.to_date + dt.timedelta(days=1))
    if filters.kinds:
        conditions.append(Event.kind.in_(filters.kinds))
    if filters.statuses:
        conditions.append(Event.status.in_(filters.statuses))
    if filters.actors:
        # A state's events include those its people and delegations took part in; an event
        # that merely mentions one of them (Ukraine's minister naming Putin) is not Russia's.
        named = select(Actor.id).where(Actor.slug.in_(filters.actors))
        members = select(Actor.id).where(Actor.affiliation_id.in_(named))
        conditions.append(
            exists().where(
                Participation.event_id == Event.id,
                or_(
                    Participation.actor_id.in_(named),
                    and_(Participation.actor_id.in_(members), Participation.role != "mentioned"),
                ),
            )
        )
    if filters.places:
        conditions.append(
            Event.place_id.in_(select(Place.id).where(Place.slug.in_(filters.places)))
        )
    if filters.series:
        conditions.append(
            Event.series_id.in_(select(Series.id).where(Series.slug.in_(filters.series)))
        )
    if filters.tags:
        conditions.append(
            exists().where(
                event_tag.c.event_id == Event.id,
                event_tag.c.tag_id.in_(select(Tag.id).where(Tag.slug.in_(filters.tags))),
            )
        )
    if filters.updated_since:
        conditions.append(Event.updated_at >= filters.updated_since)
    terms = search.words(filters.q)
    if terms:
        conditions.append(search.match(Event.id, Event.search_text, terms))
    conditions.extend(filters.extra)
    return query.where(*conditions)


def list_events(
    session: Session,
    *,
    filters: EventFilters | None = None,
    order: Order = "asc",
    limit: int = 50,
    cursor: str | None = None,
    search_batch: int | None = None,
) -> Page:
    """One page, walked by keyset: a deep page costs what the first one does.

    Date orders walk (starts_at, id), so a walk sees every matching event once even while
    events are added. `relevance` (only with words to search for; else it is date order)
    walks (rank, id), best first; ranks depend on the whole collection, so a walk stays
    exact only while the matching events do not change. A search in date order first
    walks the date index over `search_batch` events (default: `search.date_walk_batch`,
    0 for none), see `_date_walk`.
    """
    filters = filters or EventFilters()
    terms = search.words(filters.q)
    if order == "relevance" and not terms:
        order = "asc"
    after = decode_cursor(cursor, order) if cursor else None
    dialect = session.get_bind().dialect.name
    if search_batch is None:
        search_batch = search.date_walk_batch(dialect)

    if terms and order != "relevance" and search_batch > 0:
        keys = _date_walk(session, filters, terms, order, after, limit, search_batch)
        return _page_of(session, keys, order, limit)

    sort: Any = Event.starts_at
    if order == "relevance":
        query, sort = search.relevance(
            filtered(replace(filters, q=None)), dialect, Event.id, Event.search_text, terms
        )
    else:
        query = filtered(filters)
    query = _keyset(query, sort, order, after)
    rows = session.execute(
        query.add_columns(sort.label("sort_key")).limit(limit + 1).options(*load_options())
    ).all()
    items = [row[0] for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor((last.sort_key, last[0].id), order)
    return Page(items=items, next_cursor=next_cursor)


def _page_of(session: Session, keys: list[tuple[int, Any]], order: Order, limit: int) -> Page:
    """The page of events whose (id, sort key)s are `keys` (limit + 1 of them when more
    follow), loaded with everything they show, in the order of `keys`."""
    wanted = [event_id for event_id, _ in keys[:limit]]
    loaded = session.scalars(select(Event).where(Event.id.in_(wanted)).options(*load_options()))
    by_id = {event.id: event for event in loaded.unique()}
    next_cursor = None
    if len(keys) > limit:
        event_id, sort_key = keys[limit - 1]
        next_cursor = encode_cursor((sort_key, event_id), order)
    items = [by_id[event_id] for event_id in wanted if event_id in by_id]
    return Page(items=items, next_cursor=next_cursor)


def _keyset(query: Any, sort: Any, order: Order, after: tuple[Any, int] | None) -> Any:
    """The query from just after `after` on, in the order of the walk."""
    if after is not None:
        key = tuple_(sort, Event.id)
        query = query.where(key < after if order == "desc" else key > after)
    if order == "desc":
        return query.order_by(sort.desc(), Event.id.desc())
    return query.order_by(sort.asc(), Event.id.asc())


def _date_walk(
    session: Session,
    filters: EventFilters,
    terms: list[str],
    order: Order,
    after: tuple[Any, int] | None,
    limit: int,
    batch: int,
) -> list[tuple[int, Any]]:
    """The (id, sort key)s of a search page in date order: limit + 1 of them when more
    follow.

    Neither full-text index hands out matches in date order, so taking them all from it
    and sorting costs in proportion to how many there are. Instead this walks the date
    index from the cursor, over at most `batch` events that pass the other filters,
    checking each for the words: the walk is the very one the plain query would make, so
    the matches it meets are the page's first ones, in order, and it stops at the
    (limit + 1)th. A frequent word fills the page within a few hundred steps whatever the
    number of events. A first step of batch / 8 events tells how frequent the words are
    here: when the rest of the batch cannot be expected to fill the page, the rest of the
    page comes from the full-text index, after the last event walked (a rare word: few
    matches to sort).
    """
    hits: list[tuple[int, Any]] = []
    walked = 0
    step = max(1, batch // 8)
    while True:
        rows = _walk_step(session, filters, terms, order, after, limit + 1 - len(hits), step)
        hits += [(row.id, row.sort_key) for row in rows if row.hit]
        last = next((row for row in rows if row.step == step), None)
        if len(hits) > limit or last is None:
            # The page is full, or the events ended inside this step: all matches seen.
            return hits[: limit + 1]
        walked += step
        after = (last.sort_key, last.id)
        step = batch - walked
        # Walk on only while the matches met so far promise, at that rate, at least half
        # of what the page still lacks: a walk is cheap, sorting every match of a
        # frequent word is not.
        if step <= 0 or 2 * len(hits) * step < (limit + 1 - len(hits)) * walked:
            break
    rest = _keyset(
        filtered(filters).with_only_columns(Event.id, Event.starts_at),
        Event.starts_at,
        order,
        after,
    ).limit(limit + 1 - len(hits))
    return hits + [(row[0], row[1]) for row in session.execute(rest)]


def _walk_step(
    session: Session,
    filters: EventFilters,
    terms: list[str],
    order: Order,
    after: tuple[Any, int] | None,
    wanted: int,
    size: int,
) -> Sequence[Any]:
    """The first `wanted` matches among the next `size` events of the date walk after
    `after`, and the walk's last event (step == size) whether it matches or not, so
    that the caller can tell where the walk ended and whether events remain."""
    sort = Event.starts_at
    direction = (sort.desc(), Event.id.desc()) if order == "desc" else (sort, Event.id)
    walk = _keyset(
        filtered(replace(filters, q=None)).with_only_columns(
            Event.id,
            sort.label("sort_key"),
            search.match(Event.id, Event.search_text, terms).label("hit"),
            func.row_number().over(order_by=direction).label("step"),
        ),
        sort,
        order,
        after,
    ).limit(size)
    candidates = walk.subquery("search_walk")
    in_order = (
        (candidates.c.sort_key.desc(), candidates.c.id.desc())
        if order == "desc"
        else (candidates.c.sort_key, candidates.c.id)
    )
    return session.execute(
        select(candidates.c.id, candidates.c.sort_key, candidates.c.hit, candidates.c.step)
        .where(or_(candidates.c.hit, candidates.c.step == size))
        # The walk's own order (not the event's columns), so the database stops at the
        # last row wanted instead of reading the whole step and sorting it.
        .order_by(*in_order)
        .limit(wanted + 1)
    ).all()


def check_references(session: Session, filters: EventFilters) -> None:
    """Refuse filters that name no record: a misspelt slug should not read as "no events"."""
    for model, name, slugs in (
        (Actor, "actor", filters.actors),
        (Place, "place", filters.places),
        (Series, "series", filters.series),
        (Tag, "tag", filters.tags),
    ):
        if slugs:
            resolve(session, model, [(("query", name), slug) for slug in slugs], name)


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


def get_by_slug(
    session: Session, *, slug: str, include_deleted: bool = False, fresh: bool = False
) -> Event:
    query = select(Event).where(Event.slug == slug).options(*load_options())
    if fresh:
        # After a write, reload what the session already holds, related records included.
        query = query.execution_options(populate_existing=True)
    event = session.scalar(query)
    if event is None:
        raise EventNotFound(f"there is no event {slug!r}")
    if event.deleted_at is not None and not include_deleted:
        raise EventGone(
            f"the event {slug!r} was deleted on {event.deleted_at:%Y-%m-%d}",
            extra={"event": to_read(event).model_dump(mode="json")},
        )
    return event


def to_read(event: Event, today: dt.date | None = None) -> EventRead:
    """The event as the API answers it and templates show it."""
    from app.events.dates import awaiting_confirmation, date_label, display_status

    def ref(other: Event) -> dict[str, Any]:
        return {
            "slug": other.slug,
            "title": other.title,
            "kind": other.kind,
            "status": other.status,
            "start_date": other.start_date,
            "date_label": date_label(other),
        }

    return EventRead.model_validate(
        {
            "slug": event.slug,
            "title": event.title,
            "summary": event.summary,
            "body": event.body,
            "kind": event.kind,
            "status": event.status,
            "display_status": display_status(event, today),
            "awaiting_confirmation": awaiting_confirmation(event, today),
            "start_date": event.start_date,
            "start_time": event.start_time,
            "end_date": event.end_date,
            "end_time": event.end_time,
            "date_precision": event.date_precision,
            "date_approximate": event.date_approximate,
            "date_label": date_label(event),
            "timezone": event.timezone or (event.place.timezone if event.place else None),
            "place": event.place,
            "series": event.series,
            "round": event.round,
            "participants": [{"actor": p.actor, "role": p.role} for p in event.participations],
            "sources": [
                {
                    "url": c.source.url,
                    "publisher": c.source.publisher,
                    "title": c.source.title,
                    "published_on": c.source.published_on,
                    "language": c.source.language,
                    "quote": c.quote,
                    "speaker": c.speaker,
                }
                for c in event.citations
            ],
            "tags": event.tags,
            "links": [
                {"kind": link.kind, "event": ref(link.to_event)}
                for link in event.links_out
                if link.to_event.deleted_at is None
            ],
            "linked_from": [
                {"kind": link.kind, "event": ref(link.from_event)}
                for link in event.links_in
                if link.from_event.deleted_at is None
            ],
            "version": event.version,
            "created_at": event.created_at,
            "updated_at": event.updated_at,
            "deleted_at": event.deleted_at,
        }
    )


def snapshot(event: Event) -> dict[str, Any]:
    """The event in write form (related records by slug), as JSON: what a revision keeps."""
    data: dict[str, Any] = {
        "slug": event.slug,
        "title": event.title,
        "summary": event.summary,
        "body": event.body,
        "kind": event.kind,
        "status": event.status,
        "start_date": event.start_date.isoformat(),
        "start_time": event.start_time.isoformat() if event.start_time else None,
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "end_time": event.end_time.isoformat() if event.end_time else None,
        "date_precision": event.date_precision,
        "date_approximate": event.date_approximate,
        "timezone": event.timezone,
        "place": event.place.slug if event.place else None,
        "series": event.series.slug if event.series else None,
        "round": event.round,
        "participants": [{"actor": p.actor.slug, "role": p.role} for p in event.participations],
        "sources": [
            {
                "url": c.source.url,
                "publisher": c.source.publisher,
                "title": c.source.title,
                "published_on": c.source.published_on.isoformat()
                if c.source.published_on
                else None,
                "language": c.source.language,
                "quote": c.quote,
                "speaker": c.speaker.slug if c.speaker else None,
            }
            for c in event.citations
        ],
        "tags": [t.slug for t in event.tags],
        "links": [{"kind": link.kind, "event": link.to_event.slug} for link in event.links_out],
        "deleted": event.deleted_at is not None,
    }
    return data


# --- writing -------------------------------------------------------------------------------


def _slug_taken(session: Session, slug: str) -> bool:
    return session.scalar(select(exists().where(Event.slug == slug))) or False


def _apply(session: Session, event: Event, fields: dict[str, Any]) -> None:
    """Set the given write-form fields on the event, resolving every slug first."""
    wanted_actors: list[tuple[Loc, str]] = []  # (field, slug)
    for index, participant in enumerate(fields.get("participants") or []):
        wanted_actors.append((("participants", index, "actor"), participant["actor"]))
    for index, source in enumerate(fields.get("sources") or []):
        if source.get("speaker"):
            wanted_actors.append((("sources", index, "speaker"), source["speaker"]))
    actors = resolve(session, Actor, wanted_actors, "actor")
    places = resolve(
        session, Place, [(("place",), fields["place"])] if fields.get("place") else [], "place"
    )
    series = resolve(
        session, Series, [(("series",), fields["series"])] if fields.get("series") else [], "series"
    )
    tags = resolve(
        session,
        Tag,
        [(("tags", i), slug) for i, slug in enumerate(fields.get("tags") or [])],
        "tag",
    )
    links = fields.get("links") or []
    linked = resolve(
        session,
        Event,
        [(("links", i, "event"), link["event"]) for i, link in enumerate(links)],
        "event",
    )

    problems: list[tuple[Loc, str]] = []
    for index, link in enumerate(links):
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
    if problems:
        raise InvalidInput(
            problems[0][1],
            errors=[{"loc": list(loc), "msg": msg, "type": "value_error"} for loc, msg in problems],
        )
    sources = _sources_for(session, fields.get("sources") or [])
    # No flush until _record: a flush in between would write the event twice and spend two
    # version numbers on one change.
    with session.no_autoflush:
        _assign(event, fields, places, series, actors, tags, linked, sources)


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
    for name in SCALAR_FIELDS:
        if name in fields:
            setattr(event, name, fields[name])
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


def _sources_for(session: Session, cited: list[dict[str, Any]]) -> dict[str, Source]:
    """The sources cited, by URL, in one query; new URLs become new sources (an existing
    source is not rewritten by a citation)."""
    urls = list(dict.fromkeys(source["url"] for source in cited))
    if not urls:
        return {}
    found = {s.url: s for s in session.scalars(select(Source).where(Source.url.in_(urls)))}
    for data in cited:
        if data["url"] in found:
            continue
        source = Source(
            url=data["url"],
            publisher=data["publisher"],
            title=data.get("title"),
            published_on=data.get("published_on"),
            language=data.get("language"),
        )
        try:
            # In a savepoint, so that a writer who created the same URL a moment ago
            # makes us use theirs instead of failing the whole change.
            with session.begin_nested():
                session.add(source)
        except IntegrityError:
            source = session.scalars(select(Source).where(Source.url == data["url"])).one()
        found[data["url"]] = source
    return found


def _record(
    session: Session, event: Event, *, action: str, author: str, reason: str | None
) -> Revision:
    try:
        session.flush()
    except StaleDataError:
        raise EditConflict(
            f"the event {event.slug!r} was changed by someone else while this change was made"
        ) from None
    fresh = get_by_slug(session, slug=event.slug, include_deleted=True, fresh=True)
    revision = Revision(
        event_id=fresh.id,
        version=fresh.version,
        action=action,
        author=author,
        reason=reason or None,
        snapshot=snapshot(fresh),
    )
    session.add(revision)
    session.flush()
    return revision


def _write_fields(data: EventCreate | EventReplace | EventUpdate, *, full: bool) -> dict[str, Any]:
    dumped = data.model_dump(exclude={"slug", "reason"}, exclude_unset=not full)
    return {name: dumped[name] for name in WRITE_FIELDS if name in dumped}


def create(session: Session, *, data: EventCreate, author: str, reason: str | None = None) -> Event:
    fields = _write_fields(data, full=True)
    base = slugify(f"{data.start_date.isoformat()} {data.title}")
    for attempt in range(10):
        if data.slug:
            if _slug_taken(session, data.slug):
                raise InvalidInput.field(["slug"], f"the slug {data.slug!r} is taken", "slug_taken")
            slug = data.slug
        else:
            if attempt >= 3:
                # Many writers racing for one title: stop queueing behind each other.
                base = f"{slugify(f'{data.start_date.isoformat()} {data.title}')}-{token_hex(2)}"
            slug = unique_slug(base, lambda candidate: _slug_taken(session, candidate))
        event = Event(slug=slug, participations=[], citations=[], tags=[], links_out=[])
        try:
            # On PostgreSQL another writer may take the same slug between the check and the
            # insert; the savepoint lets us pick the next free one instead of failing.
            with session.begin_nested():
                _apply(session, event, fields)
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
        return get_by_slug(session, slug=slug)
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
) -> Event:
    """PATCH (EventUpdate: the fields given) or PUT (EventReplace: every field)."""
    event = get_by_slug(session, slug=slug)
    _check_version(event, expected_version)
    fields = _write_fields(data, full=isinstance(data, EventReplace))
    merged = {**snapshot(event), **fields}
    merged["start_date"] = _as_date(merged["start_date"])
    merged["end_date"] = _as_date(merged["end_date"])
    merged["start_time"] = _as_time(merged["start_time"])
    merged["end_time"] = _as_time(merged["end_time"])
    problems = event_field_problems(merged)
    if problems:
        raise InvalidInput(
            problems[0][1],
            errors=[{"loc": [f], "msg": m, "type": "value_error"} for f, m in problems],
        )
    _apply(session, event, fields)
    _record(session, event, action="update", author=author, reason=reason or data.reason)
    return get_by_slug(session, slug=slug)


def _as_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _as_time(value: Any) -> dt.time | None:
    return dt.time.fromisoformat(value) if isinstance(value, str) else value


def delete(
    session: Session,
    *,
    slug: str,
    expected_version: int | None,
    author: str,
    reason: str | None = None,
) -> Revision:
    """A tombstone: the event stays, answers 410 and can be restored."""
    event = get_by_slug(session, slug=slug)
    _check_version(event, expected_version)
    event.deleted_at = utcnow()
    event.updated_at = event.deleted_at
    return _record(session, event, action="delete", author=author, reason=reason)


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
        {name: state.get(name) for name in WRITE_FIELDS if state.get(name) is not None}
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
    return get_by_slug(session, slug=slug)


def list_revisions(session: Session, *, slug: str) -> list[Revision]:
    event_id = session.scalar(select(Event.id).where(Event.slug == slug))
    if event_id is None:
        raise EventNotFound(f"there is no event {slug!r}")
    return list(
        session.scalars(
            select(Revision).where(Revision.event_id == event_id).order_by(Revision.version)
        )
    )


def get_revision(session: Session, *, slug: str, version: int) -> Revision:
    revision = session.scalar(
        select(Revision)
        .join(Event, Event.id == Revision.event_id)
        .where(Event.slug == slug, Revision.version == version)
    )
    if revision is None:
        if session.scalar(select(Event.id).where(Event.slug == slug)) is None:
            raise EventNotFound(f"there is no event {slug!r}")
        raise NotFound(f"the event {slug!r} has no version {version}")
    return revision
