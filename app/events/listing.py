"""Finding events: the list filters, keyset pages in date order or by relevance, and the
neighbours of an event; what the API's list, the timeline page and the exports read."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
import math
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, TypeVar

from sqlalchemy import (
    Select,
    and_,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    tuple_,
    union,
    union_all,
)
from sqlalchemy.orm import Session

from app.actors.models import Actor
from app.common.references import resolve
from app.core.data_version import KeptWhileUnchanged
from app.core.errors import InvalidInput
from app.core.kept import kept
from app.events import facet_rows, search, tallies
from app.events.choices import (
    FILTERED_BY,
    ChosenValue,
    chosen_values,
    named_alone,
    probed,
    rarest_choice,
)
from app.events.models import Event, EventTally, Participation
from app.events.reading import load_options
from app.places.models import Place
from app.series.models import Series
from app.tags.models import Tag, event_tag

Order = Literal["asc", "desc", "relevance"]
#: The ids a cursor may name: a signed 32-bit integer, as the id column is on PostgreSQL
#: (INTEGER); SQLite's would hold more, but no id there reaches it either.
_ID_RANGE = (-(2**31), 2**31 - 1)


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

    def key(self) -> tuple[Any, ...]:
        """The same for filters that choose the same events (a list or a tuple of choices)."""
        return tuple(
            tuple(value) if isinstance(value, list | tuple) else value
            for value in (getattr(self, name.name) for name in fields(self))
        )


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
        # An id the id column can hold (a bool is an int to Python, not to SQL).
        if cursor_order != order or not isinstance(event_id, int) or isinstance(event_id, bool):
            raise ValueError("order")
        if not _ID_RANGE[0] <= event_id <= _ID_RANGE[1]:
            raise ValueError("id")
        if order == "relevance":
            if not isinstance(first, int | float) or isinstance(first, bool):
                raise ValueError("rank")
            if not math.isfinite(first):
                raise ValueError("rank")
            return float(first), event_id
        moment = dt.datetime.fromisoformat(first)
        if moment.tzinfo is not None:
            moment.astimezone(dt.UTC)  # raises OverflowError if UTC cannot say it
        return moment, event_id
    except (
        ValueError,
        TypeError,
        OverflowError,
        binascii.Error,
        json.JSONDecodeError,
        UnicodeDecodeError,
    ):
        raise InvalidInput.field(
            ["query", "cursor"],
            "is not a cursor this list gave out (or it was made for another order)",
        ) from None


T = TypeVar("T")


def once_per_filters(build: Callable[..., T]) -> Callable[..., T]:
    """`build(filters, *rest)`, a statement, made once for the same filters (their `key`)
    and the same `rest` (hashable), and shared while it is one of the last `STATEMENTS`
    made: a page asks for several, and the same page is asked for again after each write.
    Statements are immutable (each change makes a new one), and one made before knows its
    cache key already. Filters with `extra` conditions are made each time."""
    kept = functools.lru_cache(maxsize=STATEMENTS)(
        lambda key, *rest: build(EventFilters(*key[:-1]), *rest)
    )

    @functools.wraps(build)
    def made(filters: EventFilters, *rest: Any) -> T:
        if filters.extra:
            return build(filters, *rest)
        return kept(filters.key(), *rest)

    return made


#: How many statements of each kind `once_per_filters` keeps.
STATEMENTS = 256


@once_per_filters
def filtered(filters: EventFilters) -> Select[Event]:
    """The events that match, unordered; the caller orders and pages."""
    conditions: list[Any] = []
    if not filters.include_deleted:
        conditions.append(Event.deleted_at.is_(None))
    conditions += _date_conditions(filters)
    if filters.kinds:
        conditions.append(Event.kind.in_(filters.kinds))
    if filters.statuses:
        conditions.append(Event.status.in_(filters.statuses))
    conditions += _record_conditions(filters)
    if filters.updated_since:
        conditions.append(Event.updated_at >= filters.updated_since)
    terms = search.words(filters.q)
    if terms:
        conditions.append(search.match(Event.id, Event.search_text, terms))
    conditions.extend(filters.extra)
    return select(Event).where(*conditions)


def _date_conditions(filters: EventFilters) -> list[Any]:
    """Events that overlap [from, to], said twice: as the rule, and as a range of starts_at
    that the (starts_at, id) indexes can seek and stop on."""
    conditions = _overlapping(filters)
    if filters.from_date:
        conditions.append(Event.starts_at >= earliest_start(filters.from_date))
    if filters.to_date:
        # The same bound on starts_at (the last moment of the day: no day after 9999-12-31
        # exists to compare with), so that an index walk stops there.
        conditions.append(Event.starts_at <= dt.datetime.combine(filters.to_date, dt.time.max))
    return conditions


def _overlapping(filters: EventFilters) -> list[Any]:
    """Events that overlap [from, to]: the rule alone."""
    conditions: list[Any] = []
    if filters.from_date:
        # Overlap, so a range that began before the window but runs into it still counts.
        conditions.append(
            or_(
                Event.start_date >= filters.from_date,
                and_(Event.end_date.is_not(None), Event.end_date >= filters.from_date),
            )
        )
    if filters.to_date:
        conditions.append(Event.start_date <= filters.to_date)
    return conditions


def keyed(filters: EventFilters) -> Select[Event]:
    """The events the filters other than `q` match, for walks of the full-text index, whose
    keys the dates bound (`first_start`, `search.key_bounds`): the dates' rule alone, without
    the range of starts_at for an index walk (the earliest start among events running on the
    first day, a read of every event ending after it: 1.5 ms at 1M events, in each part of
    each statement that names it)."""
    undated = filtered(replace(filters, q=None, from_date=None, to_date=None))
    return undated.where(*_overlapping(filters))


def left_to_check(filters: EventFilters, indexed: Sequence[ChosenValue]) -> EventFilters:
    """The filters less the facets whose chosen value the full-text index is asked for: a
    value's term names exactly the live events that have it (`facet_rows`), so the events
    the index hands out need no other check of that facet."""
    emptied: dict[str, Any] = {FILTERED_BY[value.facet]: () for value in indexed}
    return replace(filters, **emptied)


def first_start(session: Session, filters: EventFilters) -> dt.date | None:
    """`earliest_start`'s day for the filters' first day (None without one): the first day
    a walk of the full-text index reads from. Kept per database while its data version
    stands (a cursor walk's pages, a page's counts and list ask for the same day), and for
    the transaction."""
    from_date = filters.from_date
    if from_date is None:
        return None
    engine = session.get_bind()
    days = _FIRST_STARTS.get(engine)
    if days is None:
        days = _FIRST_STARTS[engine] = KeptWhileUnchanged[dt.date](budget=FIRST_STARTS)

    def made() -> dt.date:
        return session.scalar(select(earliest_start(from_date))) or from_date

    return kept(session, ("first start", from_date), lambda: days.get(session, from_date, made))


#: How many first days (`first_start`) each database keeps.
FIRST_STARTS = 256
_FIRST_STARTS: weakref.WeakKeyDictionary[Any, KeptWhileUnchanged[dt.date]] = (
    weakref.WeakKeyDictionary()
)


def earliest_start(from_date: dt.date) -> Any:
    """The first day an event overlapping `from_date` or later can start on: the earliest
    start among events still running on that day, else the day itself. Nothing that matches
    starts before it, so an index walk may start there instead of at the first event ever."""
    still_running = (
        select(func.min(Event.start_date))
        .where(Event.end_date >= from_date, Event.start_date < from_date)
        .scalar_subquery()
    )
    return func.coalesce(still_running, from_date)


def _record_conditions(filters: EventFilters) -> list[Any]:
    """Events that name the actors, places, series and tags chosen (any of each)."""
    conditions: list[Any] = []
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
    return conditions


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
    keys, order = _page_keys(session, filters, order, limit, cursor, search_batch)
    wanted = [event_id for event_id, _ in keys[:limit]]
    loaded = session.scalars(select(Event).where(Event.id.in_(wanted)).options(*load_options()))
    by_id = {event.id: event for event in loaded.unique()}
    items = [by_id[event_id] for event_id in wanted if event_id in by_id]
    return Page(items=items, next_cursor=next_cursor(keys, order, limit))


def page_ids(
    session: Session,
    *,
    filters: EventFilters | None = None,
    order: Order = "asc",
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[int], str | None]:
    """The ids of one page of `list_events` (the same walk, the same cursor), without
    loading the events: for answers made from stored documents."""
    keys, order = _page_keys(session, filters, order, limit, cursor, None)
    return [event_id for event_id, _ in keys[:limit]], next_cursor(keys, order, limit)


def _page_keys(
    session: Session,
    filters: EventFilters | None,
    order: Order,
    limit: int,
    cursor: str | None,
    search_batch: int | None,
) -> tuple[list[tuple[int, Any]], Order]:
    """The (id, sort key)s of a page, limit + 1 of them when more follow, and the order
    walked (`relevance` without words is date order)."""
    filters = filters or EventFilters()
    terms = search.words(filters.q)
    if order == "relevance" and not terms:
        order = "asc"
    after = decode_cursor(cursor, order) if cursor else None
    dialect = session.get_bind().dialect.name
    if search_batch is None:
        search_batch = search.date_walk_batch(dialect)
    if terms and order != "relevance" and search_batch > 0:
        return _date_walk(session, filters, terms, order, after, limit, search_batch), order
    others = filtered(replace(filters, q=None))
    sort: Any = Event.starts_at
    if order == "relevance":
        query, sort = search.relevance(others, dialect, Event.id, Event.search_text, terms)
    elif terms:
        terms = search.expand(session, terms)
        if _keyed(session, filters, terms, dialect):
            return _keyed_walk(session, filters, terms, order, after, limit), order
        query = others.where(search.match(Event.id, Event.search_text, terms))
    elif dialect == "sqlite" and _chosen_first(session, filters):
        return _keyed_walk(session, filters, [], order, after, limit), order
    else:
        query = others
    keys_only = query.with_only_columns(Event.id, sort.label("sort_key"))
    walk = _keyset(keys_only, sort, order, after).limit(limit + 1)
    return [(row[0], row[1]) for row in session.connection().execute(walk)], order


def next_cursor(keys: Sequence[tuple[int, Any]], order: Order, limit: int) -> str | None:
    """The cursor after the page's last event, when more follow."""
    if len(keys) <= limit:
        return None
    event_id, sort_key = keys[limit - 1]
    return encode_cursor((sort_key, event_id), order)


def _keyset(query: Any, sort: Any, order: Order, after: tuple[Any, int] | None) -> Any:
    """The query from just after `after` on, in the order of the walk."""
    if after is not None:
        key = tuple_(sort, Event.id)
        query = query.where(key < after if order == "desc" else key > after)
    if order == "desc":
        return query.order_by(sort.desc(), Event.id.desc())
    return query.order_by(sort.asc(), Event.id.asc())


def _keyed(session: Session, filters: EventFilters, terms: list[str], dialect: str) -> bool:
    """Whether `_keyed_walk` answers a search page in date order: on SQLite, for words alone
    or with values chosen (the index then holds their terms beside the words, `_indexed`),
    else unless walking a chosen kind, status, place or series costs less (a search for
    what changed since some moment, which no key orders, aside).

    Without values in the index (deleted events asked for too, which have no terms), either
    walk stops once the page is full: the words' matches in key order, each checked against
    the filters, or the events of the rarest choice with an index of its own, each checked
    against the set of every match. The first reads about a page's worth of the choice's
    share of the matches; the second makes the whole set of matches first, then reads about
    a page's worth of the words' share of the choice's events. The costs are counted in
    `_WALK_COSTS`, from how many events the chosen values have (their kept tallies) and how
    many the words match (`search.planned_matches`). A word of one or two letters, which
    begins most words, is checked event by event on the walk of the filters' events
    instead: they meet its matches at once."""
    if dialect != "sqlite" or filters.updated_since:
        return False
    others = (f.name for f in fields(filters) if f.name not in ("q", "include_deleted"))
    if not any(getattr(filters, name) for name in others) or _indexed(session, filters):
        return True
    if search.is_broad(terms):
        return False
    chosen = _fewest_indexed(session, filters)
    if chosen is None:
        return True
    most = search.planned_matches(session.connection(), terms)
    fewest, total = chosen
    if not fewest:
        return False
    page, step, walk = _WALK_COSTS
    keyed = step * min(most, page * total / fewest)
    walked = most + walk * min(fewest, page * total / max(most, 1))
    return keyed <= walked


#: How a search page's two walks are costed (`_keyed`): the page they look for, then what
#: reading one match from the index and checking its event, and walking one event of a
#: choice and checking it against the set of matches, cost against putting one match in
#: that set (SQLite, 100k events: the set of the 45,000 matches of `talks` took 5.4 ms).
_WALK_COSTS = (50, 6, 8)


def _fewest_indexed(session: Session, filters: EventFilters) -> tuple[int, int] | None:
    """How many live events the chosen kinds, statuses, places or series have, whichever
    are fewest (their kept tallies added up per facet), and how many live events there are;
    None when none is chosen. Kept for the transaction (`kept`): a page asks it of each
    walk."""
    chosen = (filters.kinds, filters.statuses, filters.places, filters.series)
    key = ("fewest indexed", *(tuple(values) for values in chosen))
    return kept(session, key, lambda: _fewest(session, filters))


def _fewest(session: Session, filters: EventFilters) -> tuple[int, int] | None:
    chosen: list[tuple[str, Any]] = [
        (facet, [facet_rows.code(name) for name in names])
        for facet, names in (("kind", filters.kinds), ("status", filters.statuses))
        if names
    ]
    chosen += [
        (facet, select(model.id).where(model.slug.in_(slugs)))
        for facet, model, slugs in (
            ("place", Place, filters.places),
            ("series", Series, filters.series),
        )
        if slugs
    ]
    if not chosen:
        return None
    tally: Any = EventTally.__table__
    counts = union_all(
        *(
            select(literal(index), func.coalesce(func.sum(tally.c.n), 0)).where(
                tally.c.facet == facet, tally.c.value_id.in_(values)
            )
            for index, (facet, values) in enumerate(chosen, start=1)
        ),
        select(literal(0), tallies.live_events()),
    )
    total, *fewest = (int(n) for _index, n in sorted(session.connection().execute(counts)))
    return min(fewest), total


def _keyed_walk(
    session: Session,
    filters: EventFilters,
    terms: list[str],
    order: Order,
    after: tuple[Any, int] | None,
    limit: int,
) -> list[tuple[int, Any]]:
    """The (id, starts_at)s of a search page in date order on SQLite, limit + 1 of them when
    more follow, read from the front of the words' lists in the full-text index.

    The index keys its rows by day, then id (`search.key`), and reads them in that order
    from any key on (it leads; each match is then checked against the other filters): the
    first limit + 1 matches after the cursor's day are the page's,
    except that within a day events go by starts_at, not id. So the last day met is read
    whole, and the matches are put in (starts_at, id) order before the page is cut. The
    cost is the page and one day's matches, whatever the number of events.
    """
    indexed = _indexed(session, filters)
    fts = search.with_choices(
        search.match_query(terms) if terms else "", [value.query for value in indexed]
    )
    checked = left_to_check(filters, indexed)
    walk = _keyed_union(checked, fts, order, after, limit, first_start(session, filters))
    rows = session.connection().execute(walk)
    found = sorted({(row.starts_at, row.id) for row in rows}, reverse=order == "desc")
    return [(event_id, starts_at) for starts_at, event_id in found[: limit + 1]]


def _chosen_first(session: Session, filters: EventFilters) -> bool:
    """Whether a page without words is found from the full-text index's terms of its chosen
    values (`_keyed_walk`), in date order: on SQLite, where a value is chosen for some
    facet, but not a kind or a status alone (their own indexes lead) nor for what changed
    since some moment. The plain query walks the date index and checks each event: where
    few events have every value chosen, it reads most of them (at 100k, a place, a kind, a
    side and a tag chosen: 3.7 ms, against 0.5)."""
    if filters.updated_since or filters.include_deleted or named_alone(filters):
        return False
    return bool(_indexed(session, filters))


def _indexed(session: Session, filters: EventFilters) -> tuple[ChosenValue, ...]:
    """The chosen values a keyed walk (`_keyed_walk`, with words or without) asks the
    full-text index for (their terms, migration 0018), so that it hands out only the events
    that have them, in date order (`q=russia&actor=ukraine&place=geneva&kind=talks` at 100k,
    20 -> 1 ms): the rarest facet's values, and the other facets' rare ones
    (`choices.RARE_SHARE`), whose facets the walk checks no further (`left_to_check`). None
    where deleted events are asked for: only live events have choice terms."""
    rarest = None if filters.include_deleted else rarest_choice(session, chosen_values(filters))
    return () if rarest is None else rarest.chosen


@once_per_filters
def _keyed_union(
    filters: EventFilters,
    fts: str,
    order: Order,
    after: tuple[Any, int] | None,
    limit: int,
    first: dt.date | None,
) -> Any:
    """`_keyed_walk`'s statement: the matches of the full-text query `fts` in key order,
    from the keys of the day `first` on."""
    fts_key: Any = literal_column("event_fts.rowid")
    walked = probed(table("event_fts"), search.event_id_of(fts_key))
    matches = (
        select(Event.id, Event.starts_at, fts_key.label("key"))
        .select_from(walked)
        .where(literal_column("event_fts").op("MATCH")(literal(fts)))
    )
    # The other filters, checked on each match; their dates also bound the keys read.
    conditions = keyed(filters).whereclause
    if conditions is not None:
        matches = matches.where(conditions)
    low, high = search.key_bounds(first=first, last=filters.to_date)
    descending = order == "desc"
    if after is not None:
        # The page goes on from the cursor's day: the tighter of that and the dates' bound.
        cursor_day = search.day_key(after[0].date())
        moment = tuple_(Event.starts_at, Event.id)
        if descending:
            matches = matches.where(moment < after)
            high = _tighter(func.min, high, cursor_day + (1 << 32))
        else:
            matches = matches.where(moment > after)
            low = _tighter(func.max, low, cursor_day)
    # One statement: the first limit + 1 matches, and every match of the last day they reach
    # (its keys alone bound that read: within the dates, and the cursor's day or later).
    bounded = matches.where(*search.between(fts_key, low, high))
    walk = bounded.order_by(fts_key.desc() if descending else fts_key).limit(limit + 1)
    page = walk.cte("search_page")
    reached = func.min(page.c.key) if descending else func.max(page.c.key)
    # An empty page reaches no day: the keys of day 0, where no event is (FTS5 reads a NULL
    # bound as none, so every match: 2 ms for the timeline's "Upcoming" with none ahead).
    last_day = select(func.coalesce(reached, 0)).scalar_subquery().op(">>")(32).op("<<")(32)
    day = matches.where(fts_key >= last_day, fts_key < last_day + (1 << 32))
    return union(
        select(page.c.id, page.c.starts_at),
        day.with_only_columns(Event.id, Event.starts_at),
    )


def _tighter(tightest: Any, bound: Any, cursor_key: int) -> Any:
    """The cursor's bound on the keys, or the tighter of it and the dates' (`tightest`,
    SQLite's max() or min() of two values)."""
    return cursor_key if bound is None else tightest(bound, cursor_key)


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
    return hits + [(row[0], row[1]) for row in session.connection().execute(rest)]


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
    connection = session.connection()
    return connection.execute(
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


def adjacent(session: Session, *, event: Event) -> tuple[Any, Any]:
    """The events just before and just after this one in date order (slug, title, date), for
    stepping through the timeline from an event's page: two indexed keyset lookups."""
    key = tuple_(Event.starts_at, Event.id)
    here = (event.starts_at, event.id)
    columns = (Event.slug, Event.title, Event.start_date)
    live = Event.deleted_at.is_(None)
    before = session.execute(
        select(*columns)
        .where(live, key < here)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(1)
    ).first()
    after = session.execute(
        select(*columns).where(live, key > here).order_by(Event.starts_at, Event.id).limit(1)
    ).first()
    return before, after
