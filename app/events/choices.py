"""The values a reader chooses per facet, and the facet whose chosen values fewest events
have: a single value's events (its `event_facet` rows, in a covering index) lead a walk, or
SQLite's full-text index is asked for the chosen values' terms, with a search's words or
without."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from app.actors.models import Actor
from app.core.kept import kept
from app.events import facet_rows
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
    """The values chosen for a facet, any of which an event may have: their rows
    (`event_facet`) name the live events that have them, in a covering index, and so do
    their terms in SQLite's full-text index."""

    facet: str
    value_ids: tuple[int, ...]

    @property
    def single(self) -> bool:
        """Whether one value is chosen (whose rows name each event once)."""
        return len(self.value_ids) == 1

    def leading(self, query: Any) -> Any:
        """The query's events found from this single value's rows first, each then read and
        checked against the query's conditions, stopping once enough match."""
        if not self.single:
            raise ValueError("several values' rows name an event more than once")
        rows = EventFacet.__table__.alias(f"{self.facet}_rows")
        chosen = [rows.c.facet == self.facet, rows.c.value_id == self.value_ids[0]]
        return query.select_from(probed(rows, rows.c.event_id)).where(*chosen)

    @property
    def query(self) -> str:
        """The FTS5 query of the terms naming the events that have any of these values."""
        return " OR ".join(f'"{facet_rows.choice_term(self.facet, v)}"' for v in self.value_ids)


def probed(found: Any, event_id: Any) -> Any:
    """`found` (rows whose `event_id` names events), each event then read."""
    return LeadingJoin(found, Event.__table__, Event.id == event_id)


@dataclass(frozen=True)
class RareChoice:
    """The facet whose chosen values fewest events have, and the other facets' chosen
    values that are rare too."""

    value: ChosenValue
    #: The other facets' chosen values that fewer than one event in RARE_SHARE has, fewest
    #: events first: the full-text index is asked for their terms too.
    also: tuple[ChosenValue, ...] = ()

    @property
    def chosen(self) -> tuple[ChosenValue, ...]:
        """The rarest facet's values, then the other rare ones."""
        return (self.value, *self.also)


#: Per facet: chosen values that fewer than one live event in this many has are rare, worth
#: asking the full-text index for their terms beside the others. The index intersects the
#: lists of terms by skipping through each, and hands out only the events that have them
#: all, each needing no other check of those facets; but each term's list is read through,
#: so a value most events have costs more asked for than checked. A kind, a status, a
#: place or a series is a column of the event, checked on the row read anyway: asked for
#: when fewer than half the events have it (`status=held&status=tentative` with two places
#: and two tags, 88% of the events held or tentative: 3.0 ms asked of the index, 2.2
#: checked). A side or a tag is a lookup of the event's rows: asked for whenever some
#: event lacks it (Ukraine, in 59% of the events at 100k: a count of
#: `q=russia&actor=ukraine&place=geneva&kind=talks` took 4.6 ms checking the side, 2.5
#: asking for it).
RARE_SHARE = {"kind": 2, "status": 2, "place": 2, "series": 2, "actor": 1, "tag": 1}


def is_rare(facet: str, events: int, of: int) -> bool:
    """Whether values of this facet that `events` of `of` live events have are rare
    (`RARE_SHARE`)."""
    return events * RARE_SHARE[facet] < of


def chosen_values(filters: Any) -> dict[str, Sequence[str]]:
    """The values chosen per facet by a set of list filters (`listing.EventFilters`)."""
    return {facet: getattr(filters, field) for facet, field in FILTERED_BY.items()}


def named_alone(filters: Any) -> bool:
    """Whether the only facet chosen is the kind or the status, whose own indexes on the
    events lead a walk (`listing.EventFilters`)."""
    chosen = [facet for facet, values in chosen_values(filters).items() if values]
    return len(chosen) == 1 and chosen[0] in facet_rows.NAMED


def rarest_choice(session: Session, chosen: Mapping[str, Sequence[str]]) -> RareChoice | None:
    """The chosen values fewest events have, by the kept tallies (a facet's values added
    up), with the other facets' values that are rare; None when nothing is chosen. A chosen
    slug that names nothing stands for `NO_RECORD`, which no event has: its rows and its
    term find nothing at once (the plain query would read every event to find none: 98 ms
    a count, 213 the page, at 100k for `tag=energy&to=2026-06-30` with no such tag).

    A page asks it of each walk and count, for its filters less one facet at a time: the
    tallies read are kept for the transaction (`kept`), and only values not read yet are
    asked for, all in one query."""
    pairs = [(facet, value) for facet, values in chosen.items() for value in values]
    if not pairs:
        return None
    tallied: dict[tuple[str, str], tuple[int, int]] = kept(session, "chosen tallies", dict)
    missing = list(dict.fromkeys(pair for pair in pairs if pair not in tallied))
    if missing or _TOTAL not in tallied:
        tallied.update(_tallies(session, missing))
    named = sorted(
        (_chosen(facet, [tallied[facet, value] for value in values])
         for facet, values in chosen.items() if values),
        key=_events,
    )  # fmt: skip
    total = tallied[_TOTAL][1]
    (rarest, _n), rest = named[0], named[1:]
    also = tuple(value for value, n in rest if is_rare(value.facet, n, total))
    return RareChoice(rarest, also)


def _chosen(facet: str, tallied: list[tuple[int, int]]) -> tuple[ChosenValue, int]:
    """A facet's chosen values (their ids and tallies), and how many events have one of
    them at most (the tallies added up: an event may have several tags or sides)."""
    ids = tuple(sorted({value_id for value_id, _n in tallied}))
    return ChosenValue(facet, ids), sum(dict(tallied).values())


#: The id no record has (they count from 1): the value of a chosen slug that names nothing.
NO_RECORD = 0
#: Where `rarest_choice`'s kept tallies hold how many live events there are.
_TOTAL = ("", "")


def _events(chosen: tuple[ChosenValue, int]) -> int:
    return chosen[1]


def _tallies(
    session: Session, pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, int]]:
    """Each chosen (facet, value): the value's id (`NO_RECORD` when its slug names nothing)
    and how many live events have it; and under `_TOTAL`, how many live events there are.
    One statement, made once (`_TALLIES`), whatever is chosen: building one per page cost
    more than reading it (2.5 ms against 0.1 for seven values at 100k)."""
    slugs: dict[str, list[str]] = {facet: [] for facet in RECORDS}
    for facet, value in pairs:
        if facet in RECORDS:
            slugs[facet].append(value)
    named: dict[tuple[str, int], int] = {}
    records: dict[tuple[str, str], tuple[int, int]] = {}
    for facet, slug, key, n in session.connection().execute(_TALLIES, slugs).all():
        if slug is None:
            named[facet, key] = n
        else:
            records[facet, slug] = (key, n)
    found = {_TOTAL: (0, sum(n for (facet, _key), n in named.items() if facet == "status"))}
    for facet, value in pairs:
        if facet in RECORDS:
            found[facet, value] = records.get((facet, value), (NO_RECORD, 0))
        else:
            key = facet_rows.code(value)
            found[facet, value] = (key, named.get((facet, key), 0))
    return found


def _tallies_statement() -> Any:
    """`_tallies`' statement: each record facet's chosen slugs (a list bound by the facet's
    name) with their ids and tallies, then every kind's and status's tally (a few rows; the
    statuses add up to every live event, each having one)."""
    tally: Any = EventTally.__table__
    records = [
        select(literal(facet), model.slug, model.id, func.coalesce(tally.c.n, 0))
        .outerjoin(tally, and_(tally.c.facet == facet, tally.c.value_id == model.id))
        .where(model.slug.in_(bindparam(facet, expanding=True)))
        for facet, (model, _label) in RECORDS.items()
    ]
    named = select(tally.c.facet, null(), tally.c.value_id, tally.c.n).where(
        tally.c.facet.in_(facet_rows.NAMED)
    )
    return union_all(*records, named)


_TALLIES = _tallies_statement()
