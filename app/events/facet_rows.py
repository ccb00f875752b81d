"""The filter choices each live event counts for (`event_facet`): its kind, status, place,
series, tags and sides, made again from the event's own rows whenever a write changes them,
so that the timeline's counts per filter choice read one index instead of joining every event
to its places, series, tags and actors. Each refresh says how it changed the rows' counts, so
the tallies of every choice (`tallies.py`) follow.

Two more rows place the event in its month's lanes, so that a timeline counted per month or
year reads the tallies too: "p" and the month (`p202601`) with the side it speaks for
(`side_per_event`), and "k" and the month with its kind's code.

What decides when they are made again lives in `indexing.py`: the same events whose stored
answers are made again, a superset of those whose place, series, tags or sides changed
(an actor's new affiliation changes the sides of every event that actor took part in, and
every such event's answer shows it).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zlib
from collections import Counter
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Integer,
    String,
    any_,
    bindparam,
    case,
    cast,
    column,
    delete,
    distinct,
    func,
    insert,
    literal,
    literal_column,
    select,
    table,
    union,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql import Select

from app.actors.models import Actor
from app.events.fields import EVENT_KINDS, EVENT_STATUSES
from app.events.models import Event, EventFacet, Participation
from app.tags.models import event_tag

_CHUNK = 500
_TABLE: Any = EventFacet.__table__
_COLUMNS = ("event_id", "facet", "value_id")

#: How the rows of some events changed: (facet, value_id) → rows added (less those removed).
Deltas = Counter[tuple[str, int]]
#: The facets a reader filters by; the rest place events in their month's lanes.
CHOICES = ("kind", "status", "place", "series", "tag", "actor")
#: The roles that put an event on a side's lane (a host or a mediator does not).
SIDE_ROLES = ("party", "speaker", "delegate")
#: An event's side when several sides take part, and when none is named.
JOINT_SIDE = -1
NO_SIDE = 0
#: What begins the month rows of a lane: by side, and by kind.
BY_SIDE, BY_KIND = "p", "k"


def month_facet(lane: str, day: dt.date) -> str:
    """The month row of a lane for the month of this day: "p202601"."""
    return f"{lane}{day.year:04d}{day.month:02d}"


def side_per_event(event_ids: Any = None) -> Any:
    """Per event: the one side it speaks for (a state, or whoever has no affiliation), or
    JOINT_SIDE when several sides take part; events where no side takes part have no row."""
    side = func.coalesce(Actor.affiliation_id, Actor.id)
    return (
        select(
            Participation.event_id.label("event_id"),
            case(
                (func.count(distinct(side)) > _inline(1), _inline(JOINT_SIDE)),
                else_=func.min(side),
            ).label("side_id"),
        )
        .join(Actor, Actor.id == Participation.actor_id)
        .where(
            Participation.role.in_([_inline(role) for role in SIDE_ROLES]),
            *([_among(Participation.event_id, event_ids)] if event_ids is not None else []),
        )
        .group_by(Participation.event_id)
        .subquery()
    )


def code(name: str) -> int:
    """A kind's or a status's `value_id`: its name's CRC-32 in 31 bits, the same whatever
    order the names are declared in (migration 0012 writes the same)."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


#: facet → code → name, for the facets whose values are names, not records.
NAMED: dict[str, dict[int, str]] = {
    "kind": {code(kind): kind for kind in EVENT_KINDS},
    "status": {code(status): status for status in EVENT_STATUSES},
}
assert all(
    len(codes) == len(names)
    for codes, names in zip(NAMED.values(), (EVENT_KINDS, EVENT_STATUSES), strict=True)
)


def _among(column: Any, ids: Any) -> Any:
    """`column IN ids`; where the ids are one bound array (PostgreSQL), `column = ANY(ids)`."""
    if isinstance(ids, BindParameter) and isinstance(ids.type, ARRAY):
        return column == any_(ids)
    return column.in_(ids)


def _inline(value: str | int) -> Any:
    """A constant of this module written into a statement's text rather than bound: a refresh
    binds only its ids, so that its text reads the same at every write (psycopg keeps and
    prepares a statement of at most 50 parameters; this one had 56, and was parsed again by
    both sides at every write)."""
    if isinstance(value, int):
        return literal_column(str(value), Integer)
    if not re.fullmatch(r"[A-Za-z0-9_%]*", value):
        raise ValueError(f"not a constant to write into SQL: {value!r}")
    return literal_column(f"'{value}'", String)


def _named(facet: str) -> Any:
    return cast(_inline(facet), String(8))


def _month(dialect: str, lane: str, column: Any) -> Any:
    """The month row's facet of a date column, in the database's own words."""
    if dialect == "postgresql":
        return _inline(lane) + func.to_char(column, _inline("YYYYMM"))
    return _inline(lane) + func.strftime(_inline("%Y%m"), column)


def _selects(ids: Any, dialect: str) -> list[Select[Any]]:
    """The rows of these events (a bound list of ids): one select per facet."""

    def among(column: Any) -> list[Any]:
        return [_among(column, ids)]

    live = [Event.deleted_at.is_(None), *among(Event.id)]
    kind = select(Event.id, _named("kind"), _coded("kind", Event.kind)).where(*live)
    status = select(Event.id, _named("status"), _coded("status", Event.status)).where(*live)
    place = select(Event.id, _named("place"), Event.place_id).where(
        *live, Event.place_id.is_not(None)
    )
    series = select(Event.id, _named("series"), Event.series_id).where(
        *live, Event.series_id.is_not(None)
    )
    tag = (
        select(event_tag.c.event_id, _named("tag"), event_tag.c.tag_id)
        .join(Event, Event.id == event_tag.c.event_id)
        .where(*live)
    )
    # The actor who took part, and the side that actor speaks for unless only mentioned:
    # the union keeps one row where both name the same actor.
    sides = union(
        select(Participation.event_id, Participation.actor_id.label("value_id")).where(
            *among(Participation.event_id)
        ),
        select(Participation.event_id, Actor.affiliation_id.label("value_id"))
        .join(Actor, Actor.id == Participation.actor_id)
        .where(
            Actor.affiliation_id.is_not(None),
            Participation.role != _inline("mentioned"),
            *among(Participation.event_id),
        ),
    ).subquery()
    actor = (
        select(sides.c.event_id, _named("actor"), sides.c.value_id)
        .join(Event, Event.id == sides.c.event_id)
        .where(*live)
    )
    sides = side_per_event(ids)
    by_side = (
        select(
            Event.id,
            _month(dialect, BY_SIDE, Event.start_date),
            func.coalesce(sides.c.side_id, _inline(NO_SIDE)),
        )
        .outerjoin(sides, sides.c.event_id == Event.id)
        .where(*live)
    )
    by_kind = select(
        Event.id, _month(dialect, BY_KIND, Event.start_date), _coded("kind", Event.kind)
    ).where(*live)
    return [kind, status, place, series, tag, actor, by_side, by_kind]


def _coded(facet: str, column: Any) -> Any:
    return case(
        *[(column == _inline(name), _inline(number)) for number, name in NAMED[facet].items()]
    )


def _ids(dialect: str) -> Any:
    """The events a refresh makes rows for: one list, bound to every statement of the refresh;
    on PostgreSQL one array, so that the statement's text is the same for any number."""
    if dialect == "postgresql":
        return bindparam("ids", type_=ARRAY(Integer))
    return bindparam("ids", expanding=True)


@functools.cache
def _statements(dialect: str) -> tuple[Any, Any]:
    """A refresh's statements (its rows removed and made again, each answering the rows it
    removed or made), put together once per database: building them is most of a write's
    work in Python otherwise."""
    ids = _ids(dialect)
    removed = (
        delete(_TABLE)
        .where(_among(_TABLE.c.event_id, ids))
        .returning(_TABLE.c.facet, _TABLE.c.value_id)
    )
    made = (
        insert(_TABLE)
        .from_select(_COLUMNS, union_all(*_selects(ids, dialect)))
        .returning(_TABLE.c.facet, _TABLE.c.value_id)
    )
    return removed, made


def refresh(
    connection: Connection, event_ids: Iterable[int], *, new: Collection[int] = ()
) -> Deltas:
    """Make these events' rows again from what the transaction holds now; answers how the
    rows per choice changed (zero changes left out). The `new` ones were inserted by this
    transaction and have no rows yet: none are removed for them."""
    removed, made = _statements(connection.dialect.name)
    ids = sorted(set(event_ids))
    deltas: Deltas = Counter()
    indexed = connection.dialect.name == "sqlite"
    for start in range(0, len(ids), _CHUNK):
        chunk = {"ids": ids[start : start + _CHUNK]}
        held = {"ids": [i for i in chunk["ids"] if i not in new]}
        if held["ids"]:
            deltas.subtract(Counter(tuple(row) for row in connection.execute(removed, held)))
        deltas.update(Counter(tuple(row) for row in connection.execute(made, chunk)))
        if indexed:
            connection.execute(_INDEXED, chunk)
    return Counter({key: n for key, n in deltas.items() if n})


#: What begins the term of a filter choice in SQLite's full-text index (a letter no word of
#: a search spells out, `search.SPELLABLE`); the facet and the value's id follow.
CHOICE_MARK = "ϙ"


def choice_term(facet: str, value_id: int) -> str:
    """The term of the full-text index that names the events with this value chosen."""
    return f"{CHOICE_MARK}{facet}{value_id}"


#: SQLite: the event's column of choice terms (migration 0018), which the full-text index
#: reads beside its words; not a column of the model, as PostgreSQL has none.
_EVENTS = table("event", column("id"), column("search_choices", String))


def _choice_terms() -> Any:
    """Per event (of the statement it is part of), the terms of its choices."""
    term = _TABLE.c.facet + cast(_TABLE.c.value_id, String)
    terms = select(func.group_concat(literal(CHOICE_MARK) + term, " ")).where(
        _TABLE.c.event_id == _EVENTS.c.id, _TABLE.c.facet.in_(CHOICES)
    )
    return func.coalesce(terms.scalar_subquery(), "")


#: The column made again from the events' rows, where it changed.
_INDEXED = (
    update(_EVENTS)
    .where(
        _EVENTS.c.id.in_(_ids("sqlite")), _EVENTS.c.search_choices.is_distinct_from(_choice_terms())
    )
    .values(search_choices=_choice_terms())
)


def index_choices(connection: Connection) -> None:
    """SQLite: every event's column of choice terms made again from its rows (after a
    restore, whose rows come without it)."""
    connection.execute(update(_EVENTS).values(search_choices=_choice_terms()))
