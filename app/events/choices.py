"""The values a reader chooses per facet, and the chosen value fewest events have: the list
of whose events (its `event_facet` rows, in a covering index) leads a walk, or whose term
SQLite's full-text index is asked for beside a search's words."""

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

    def leading(self, query: Any, also: Sequence[ChosenValue] = ()) -> Any:
        """The query's events found from this value's rows first, each then looked for among
        the rows of each value `also` names, and only those found in all read and checked
        against the query's conditions, stopping once enough match."""
        rows = self._rows()
        return query.select_from(probed(rows, rows.c.event_id, also)).where(*self._is(rows))

    @property
    def term(self) -> str:
        """The term of SQLite's full-text index naming the events with this value."""
        return facet_rows.choice_term(self.facet, self.value_id)

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
    """The chosen value fewest events have, and the other values chosen one per facet that
    are rare too."""

    value: ChosenValue
    #: The other chosen values (one per facet) that fewer than one event in RARE_SHARE has,
    #: fewest events first: an event found is looked for among their rows before it is read,
    #: or the full-text index asked for their terms too.
    also: tuple[ChosenValue, ...] = ()


#: A chosen value that fewer than one live event in this many has is rare: worth asking the
#: full-text index for its term beside the others (or looking an event up among its rows
#: before the event is read). One: every value that some live event lacks. The index
#: intersects the lists of terms by skipping through each, and hands out only the events
#: that have them all, each needing no other check of those facets: a frequent value too
#: (Ukraine, in 59% of the events at 100k) costs less asked of the index than checked on
#: every event it finds (`q=russia&actor=ukraine&place=geneva&kind=talks`: 4.6 ms for a
#: count that checked the side, 2.5 asked for it).
RARE_SHARE = 1


def is_rare(events: int, of: int) -> bool:
    """Whether a value that `events` of `of` live events have is rare (`RARE_SHARE`)."""
    return events * RARE_SHARE < of


def chosen_values(filters: Any) -> dict[str, Sequence[str]]:
    """The values chosen per facet by a set of list filters (`listing.EventFilters`)."""
    return {facet: getattr(filters, field) for facet, field in FILTERED_BY.items()}


def named_alone(filters: Any) -> bool:
    """Whether the only facet chosen is the kind or the status, whose own indexes on the
    events lead a walk (`listing.EventFilters`)."""
    chosen = [facet for facet, values in chosen_values(filters).items() if values]
    return len(chosen) == 1 and chosen[0] in facet_rows.NAMED


def rarest_choice(session: Session, chosen: Mapping[str, Sequence[str]]) -> RareChoice | None:
    """The chosen value fewest events have, by the kept tallies, among facets with one value
    chosen (whose rows name each event once); None when nothing is chosen so. A chosen slug
    that names nothing stands for `NO_RECORD`, which no event has: its rows and its term
    find nothing at once (the plain query would read every event to find none: 100 ms at
    100k for `tag=energy&to=2026-06-30` with no such tag).

    A page asks it of each walk and count, for its filters less one facet at a time: the
    tallies read are kept for the transaction (`kept`), and only values not read yet are
    asked for, all in one query."""
    single = [(facet, values[0]) for facet, values in chosen.items() if len(values) == 1]
    if not single:
        return None
    tallied: dict[tuple[str, str], tuple[int, int]] = kept(session, "chosen tallies", dict)
    missing = [pair for pair in single if pair not in tallied]
    if missing or _TOTAL not in tallied:
        tallied.update(_tallies(session, missing))
    named = sorted(((facet, *tallied[facet, value]) for facet, value in single), key=_events)
    total = tallied[_TOTAL][1]
    (facet, key, _n), rest = named[0], named[1:]
    also = tuple(ChosenValue(f, k) for f, k, m in rest if is_rare(m, total))
    return RareChoice(ChosenValue(facet, key), also)


#: The id no record has (they count from 1): the value of a chosen slug that names nothing.
NO_RECORD = 0
#: Where `rarest_choice`'s kept tallies hold how many live events there are.
_TOTAL = ("", "")


def _events(row: tuple[str, int, int]) -> int:
    return row[2]


def _tallies(
    session: Session, pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, int]]:
    """Each chosen (facet, value): the value's id (`NO_RECORD` when its slug names nothing)
    and how many live events have it; and under `_TOTAL`, how many live events there are."""
    tally: Any = EventTally.__table__
    rows = [
        select(
            literal(facet),
            literal(value),
            func.coalesce(value_id(facet, value), NO_RECORD).label("value_id"),
        ).subquery()
        for facet, value in pairs
    ]
    tallied = [
        select(*row.c, func.coalesce(tally.c.n, 0)).outerjoin(
            tally, and_(tally.c.facet == facet, tally.c.value_id == row.c.value_id)
        )
        for (facet, _value), row in zip(pairs, rows, strict=True)
    ]
    every = select(literal(""), literal(""), literal(0), tallies.live_events())
    found = session.execute(union_all(*tallied, every))
    return {(facet, value): (key, n) for facet, value, key, n in found}


def value_id(facet: str, value: str) -> Any:
    """A chosen value's `value_id` as SQL: the code of a kind or a status, the id of the
    record its slug names (NULL for none)."""
    if facet in facet_rows.NAMED:
        return literal(facet_rows.code(value))
    model, _label = RECORDS[facet]
    return select(model.id).where(model.slug == value).scalar_subquery()
