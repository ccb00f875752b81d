"""The values a reader chooses per facet, and the chosen value fewest events have: the list
of whose events (its `event_facet` rows, in a covering index) a walk over many matches
consults before it reads an event, or leads with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, literal, select, union_all
from sqlalchemy.orm import Session

from app.actors.models import Actor
from app.core.kept import kept
from app.events import facet_rows, tallies
from app.events.joins import LeadingJoin
from app.events.models import Event, EventFacet, EventTally
from app.places.models import Place
from app.series.models import Series
from app.tags.models import Tag

#: Each facet: the filter field that chooses it, and the records its values name.
FILTERED_BY = {
    "kind": "kinds",
    "status": "statuses",
    "actor": "actors",
    "place": "places",
    "series": "series",
    "tag": "tags",
}
RECORDS: dict[str, tuple[Any, Any]] = {
    "actor": (Actor, Actor.name),
    "place": (Place, Place.name),
    "series": (Series, Series.title),
    "tag": (Tag, Tag.name),
}


@dataclass(frozen=True)
class ChosenValue:
    """A value chosen for a facet: its rows (`event_facet`) name the live events that have
    it, in a covering index."""

    facet: str
    value_id: int

    def behind(self, leading: Any, event_id: Any, also: Sequence[ChosenValue] = ()) -> Any:
        """`leading` (a full-text index's matches), each looked for among this value's rows
        by its event's id (`event_id`, a column of `leading`), then among the rows of each
        value `also` names, and only the events found in all read, in `leading`'s order."""
        rows = self._rows()
        found = LeadingJoin(leading, rows, and_(rows.c.event_id == event_id, *self._is(rows)))
        return probed(found, rows.c.event_id, also)

    def has(self, event_id: Any) -> Any:
        """Whether an event (`event_id`, say the event of a full-text match, before it is
        read) has this value: its id in the set of the value's events, made once."""
        rows: Any = EventFacet.__table__
        return event_id.in_(select(rows.c.event_id).where(*self._is(rows)))

    def leading(self, query: Any, also: Sequence[ChosenValue] = ()) -> Any:
        """The query's events found from this value's rows first, each then looked for among
        the rows of each value `also` names, and only those found in all read and checked
        against the query's conditions, stopping once enough match."""
        rows = self._rows()
        return query.select_from(probed(rows, rows.c.event_id, also)).where(*self._is(rows))

    def _rows(self) -> Any:
        return EventFacet.__table__.alias(f"{self.facet}_rows")

    def _is(self, rows: Any) -> list[Any]:
        return [rows.c.facet == self.facet, rows.c.value_id == self.value_id]


def probed(found: Any, event_id: Any, also: Sequence[ChosenValue]) -> Any:
    """`found` (rows whose `event_id` names events), each event looked for among the rows of
    each value of `also` in turn (a covering index), then read."""
    for value in also:
        rows = value._rows()
        found = LeadingJoin(found, rows, and_(rows.c.event_id == event_id, *value._is(rows)))
    return LeadingJoin(found, Event.__table__, Event.id == event_id)


@dataclass(frozen=True)
class RareChoice:
    """The chosen value fewest events have, with its tally, and the other values chosen
    one per facet that are rare too."""

    value: ChosenValue
    events: int
    #: How many live events there are in all.
    of: int
    #: The other chosen values (one per facet) that fewer than one event in RARE_SHARE has,
    #: fewest events first: an event found is looked for among their rows before it is read.
    also: tuple[ChosenValue, ...] = ()
    #: The share of all events that have every value of `value` and `also`, as if they were
    #: chosen independently.
    share: float = 1.0


#: A chosen value that at most one event in this many has is rare: worth looking an event
#: up among its rows (a covering index) before the event is read.
RARE_SHARE = 2


def is_rare(events: int, of: int) -> bool:
    """Whether a value that `events` of `of` live events have is rare (`RARE_SHARE`)."""
    return events * RARE_SHARE < of


def chosen_values(filters: Any) -> dict[str, Sequence[str]]:
    """The values chosen per facet by a set of list filters (`listing.EventFilters`)."""
    return {facet: getattr(filters, field) for facet, field in FILTERED_BY.items()}


def rarest_choice(session: Session, chosen: Mapping[str, Sequence[str]]) -> RareChoice | None:
    """The chosen value fewest events have, by the kept tallies, among facets with one value
    chosen (whose rows name each event once), in one query; None when nothing is chosen so,
    or when a chosen slug names nothing (the plain query then finds nothing soon enough).
    Kept for the transaction (`kept`): a page asks it of each walk."""
    key = ("rarest choice", tuple((facet, tuple(values)) for facet, values in chosen.items()))
    return kept(session, key, lambda: _rarest_choice(session, chosen))


def _rarest_choice(session: Session, chosen: Mapping[str, Sequence[str]]) -> RareChoice | None:
    single = [
        select(literal(facet).label("facet"), value_id(facet, values[0]).label("value_id"))
        for facet, values in chosen.items()
        if len(values) == 1
    ]
    if not single:
        return None
    values = union_all(*single).subquery("chosen")
    tally: Any = EventTally.__table__
    tallied = select(values.c.facet, values.c.value_id, func.coalesce(tally.c.n, 0)).outerjoin(
        tally, and_(tally.c.facet == values.c.facet, tally.c.value_id == values.c.value_id)
    )
    every = select(literal(""), literal(0), tallies.live_events())
    rows = session.execute(union_all(tallied, every)).all()
    total = sum(n for facet, _value_id, n in rows if not facet)
    named = [(facet, found, n) for facet, found, n in rows if facet]
    if any(found is None for _facet, found, _n in named):
        return None
    named.sort(key=lambda row: row[2])
    (facet, found, n), rest = named[0], named[1:]
    also = tuple(ChosenValue(f, v) for f, v, m in rest if is_rare(m, total))
    share = 1.0
    for _facet, _found, m in named[: 1 + len(also)]:
        share *= m / max(total, 1)
    return RareChoice(ChosenValue(facet, found), n, total, also, share)


def value_id(facet: str, value: str) -> Any:
    """A chosen value's `value_id` as SQL: the code of a kind or a status, the id of the
    record its slug names (NULL for none)."""
    if facet in facet_rows.NAMED:
        return literal(facet_rows.code(value))
    model, _label = RECORDS[facet]
    return select(model.id).where(model.slug == value).scalar_subquery()
