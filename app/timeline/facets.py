"""Counts per filter choice, and how many events match, at any number of events.

Unfiltered, every count is the kept tally of its choice (`app/events/tallies.py`): a read of a
few hundred rows. Filtered, the events that match (all filters but the one counted, so each
count says how many events choosing it would show) are counted from their choice rows
(`event_facet`), at most `CAP` of them: where more match, the counts are of the first `CAP`
found and marked as floors ("500+"), never guessed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import and_, bindparam, cast, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from app.events import facet_rows, listing, search, tallies
from app.events.choices import (
    FILTERED_BY,
    RECORDS,
    ChosenValue,
    chosen_values,
    named_alone,
    probed,
    rarest_choice,
)
from app.events.fields import EVENT_KINDS, EVENT_STATUSES
from app.events.joins import LeadingJoin
from app.events.models import Event, EventFacet

#: The most matching events counted one by one; past it counts are floors.
CAP = 500

STATUS_LABELS = {
    "held": "Held",
    "scheduled": "Scheduled",
    "tentative": "Tentative",
    "postponed": "Postponed",
    "cancelled": "Cancelled",
}


@dataclass
class Choice:
    value: str
    label: str
    count: int
    #: More events match than were counted: `count` is a floor.
    at_least: bool = False


@dataclass
class Counted:
    """How many events each choice has among some events, and whether all were counted; when
    they were (and some filter is set), the first day they start on and the last they cover,
    and the first of them in date order as a list walks them (when asked for)."""

    counts: dict[str, Counter[int]]
    total: int
    capped: bool
    first: dt.date | None = None
    last: dt.date | None = None
    #: (id, starts_at) of the first matches in (starts_at, id) order, as many as `count` was
    #: asked to list: the keys a walk of the first page finds (`listing.page_ids`).
    listed: list[tuple[int, dt.datetime]] | None = None


def is_empty(filters: listing.EventFilters) -> bool:
    """Whether the filters choose nothing: every live event matches."""
    return not any(getattr(filters, field.name) for field in dataclasses.fields(filters))


def count(
    session: Session,
    filters: listing.EventFilters,
    only: Sequence[str] | None = None,
    listed: int = 0,
) -> Counted:
    """Every choice's count among the events that match (those of the facets named in
    `only`, when given): the tallies when nothing is filtered, else the choice rows of at
    most CAP matching events. Where all were counted, the first `listed` of them in date
    order too: the matches are found once for a page's counts and its list."""
    if is_empty(filters):
        kept = tallies.read(session)
        counts = {facet: Counter(kept.get(facet, {})) for facet in FILTERED_BY}
        return Counted(counts, sum(counts["kind"].values()), capped=False)
    only_these = tuple(only) if only is not None else None
    statement = _counting(filters, _plan(session, filters), only_these, CAP, listed)
    counts = {facet: Counter() for facet in FILTERED_BY}
    total, first, last = 0, None, None
    keys: list[tuple[int, dt.datetime]] = []
    rows = session.connection().execute(statement).all()
    for facet, value_id, n, earliest, latest, starts_at in rows:
        if facet in counts:
            counts[facet][value_id] = n
        elif facet == _LISTED:
            keys.append((value_id, starts_at))
        elif not facet:
            total, first, last = n, earliest, latest
    if total > CAP:
        return Counted(counts, CAP, capped=True)
    # In the walk's order, (starts_at, id), which the statement's outer union need not keep.
    listed_keys = sorted(keys, key=lambda key: (key[1], key[0])) if listed else None
    return Counted(counts, total, False, first, last, listed_keys)


#: `_counting`'s rows of the events listed, apart from the counts (which name facets).
_LISTED = "#"


@listing.once_per_filters
def _counting(
    filters: listing.EventFilters,
    plan: Plan,
    only: tuple[str, ...] | None,
    cap: int,
    listed: int,
) -> Any:
    """`count`'s statement, for filters found as `plan` says: one walk over the matching
    events, cap + 1 of them, found once (a CTE every part reads), counted whole with their
    span, their first `cap` counted per choice, and the first `listed` in date order."""
    walk = _walk(filters, plan, only is not None and not listed)
    found = (
        walk.add_columns(func.row_number().over().label("n"))
        .limit(cap + 1)
        .cte("matching")
        .prefix_with("MATERIALIZED")
    )
    _id, start, last, starts_at, _n = found.c
    whole = select(
        literal("").label("facet"),
        literal(0).label("value_id"),
        func.count(),
        func.min(start),
        func.max(last),
        cast(null(), Event.starts_at.type),
    )
    # The matching ids lead, each finding its rows by the primary key: `IN` for every facet
    # (the month rows are left out below), a leading join for some (a condition on the facet
    # alone would lead SQLite to the facet's index instead, through every event's rows).
    per_choice = select(EventFacet.facet, EventFacet.value_id, func.count(), null(), null(), null())
    if only is None:
        per_choice = per_choice.where(
            EventFacet.event_id.in_(select(found.c.id).where(found.c.n <= cap))
        )
    else:
        rows: Any = EventFacet.__table__
        per_choice = per_choice.select_from(
            LeadingJoin(found, rows, and_(rows.c.event_id == found.c.id, rows.c.facet.in_(only)))
        ).where(found.c.n <= cap)
    per_choice = per_choice.group_by(EventFacet.facet, EventFacet.value_id)
    parts = [whole.select_from(found), per_choice]
    if listed:
        first = (
            select(found.c.id, starts_at)
            .order_by(starts_at, found.c.id)
            .limit(listed)
            .subquery("listed")
        )
        parts.append(select(literal(_LISTED), first.c.id, null(), null(), null(), first.c[1]))
    return union_all(*parts)


def _walk(filters: listing.EventFilters, plan: Plan, ids_alone: bool) -> Any:
    """The matching events as `_counting` walks them: id, first day, last day and start.
    Where only their ids are wanted (some facets' counts, neither span nor list) and the
    full-text index's keys name them (`_indexed_alone`), no event is read."""
    if ids_alone and _indexed_alone(filters, plan):
        keys = _hits(filters, search.Expanded(list(plan.words), plan.fts, None), plan.first)
        event_id = search.event_id_of(keys.c.key).label("id")
        unread = (null().label(name) for name in ("start_date", "last", "starts_at"))
        return select(event_id, *unread).select_from(keys)
    last = func.coalesce(Event.end_date, Event.start_date)
    return _matching(filters, plan).with_only_columns(
        Event.id, Event.start_date, last, Event.starts_at
    )


def _indexed_alone(filters: listing.EventFilters, plan: Plan) -> bool:
    """Whether the full-text index's matches are the matching events, with nothing left to
    check on their rows: it is asked for every chosen value's terms, which only live events
    have (`facet_rows`), and the dates bound its keys, with no first day (an event running
    into it from before must be read to be found)."""
    if plan.way != "led" or not plan.chosen:
        return False
    unchecked = dataclasses.replace(filters, q=None, to_date=None)
    return is_empty(listing.left_to_check(unchecked, plan.chosen))


@dataclass(frozen=True)
class Plan:
    """How the matching events are found soonest (`_plan`): the way, and what it reads (the
    words as the full-text index is asked for them, a chosen value's rows)."""

    way: Literal["plain", "chosen first", "led"]
    words: tuple[str, ...] = ()
    fts: str = ""
    #: The chosen values whose rows lead ("chosen first"), or whose terms the full-text
    #: index is asked for, their facets then checked no further ("led").
    chosen: tuple[ChosenValue, ...] = ()
    #: The first day the full-text index is read from (`listing.first_start`), if any.
    first: dt.date | None = None


def _plan(session: Session, filters: listing.EventFilters) -> Plan:
    """How to find the matching events soonest (on SQLite; PostgreSQL's planner, which keeps
    statistics, is left the plain query).

    Choices without a search: the rows of the chosen value fewest events have lead
    (`choices.rarest_choice`, "chosen first"), where one value is chosen. Left to itself,
    SQLite walks another filter's index and checks each event against the rare choice
    (`tag=territories&status=held` at 100k: every `held` event until 500 have the tag,
    9 ms; led by the tag's rows, 1.5 ms), and for a tag or an actor alone walks every
    event. With other rare values chosen too, several of a facet, or dates, the full-text
    index is asked for the values' terms (migration 0018; several of a facet as one term or
    another: `place=geneva&place=abu-dhabi&from=2020-01-01` at 100k, 110 ms walking the
    dates' events, each checked for its place, 21 ms the page now) and hands out the events
    that have them all, from the first day on ("led"), needing no other check of those
    facets (`listing.left_to_check`). A search: `_searched`. Events updated since some
    moment (which no key says), and deleted events too (which have no choice terms): the
    plain query.
    """
    sqlite = session.get_bind().dialect.name == "sqlite"
    if not sqlite or filters.updated_since or filters.include_deleted:
        return Plan("plain")
    terms = search.expand(session, search.words(filters.q))
    if terms:
        return _searched(session, filters, terms)
    rarest = rarest_choice(session, chosen_values(filters))
    if rarest is None or named_alone(filters):
        return Plan("plain")  # a kind or a status alone: its own index
    chosen = rarest.chosen
    if rarest.also or filters.from_date or filters.to_date or not rarest.value.single:
        fts = search.with_choices("", [value.query for value in chosen])
        return Plan("led", fts=fts, chosen=chosen, first=listing.first_start(session, filters))
    return Plan("chosen first", chosen=chosen)


def _searched(session: Session, filters: listing.EventFilters, terms: list[str]) -> Plan:
    """How to find the events matching a search and the other filters soonest (SQLite).

    The full-text index leads ("led"), its matches looked up one by one and checked against
    the other filters until enough match (`ceasefire&kind=talks` at 1M: 14 ms, against 49
    walking the `talks` events against the set of every match). The index keys its rows by
    day (`search.key`), so a stretch of time is a range of its keys, and only that range is
    read. With values chosen, the index is asked for the terms of the rarest facet's
    values beside the words (migration 0018; several values of a facet as one term or
    another), and for those of the other facets' rare values (`choices.RARE_SHARE`): it
    intersects their lists, skipping through each, so only events that have them all are
    read, and checked no further for those facets
    (`q=russia&actor=ukraine&place=geneva&kind=talks` at 100k: 2 ms a count, where
    reading the words' matches and looking each up among the rarest value's rows, or the
    value's events each looked up for the words, took 20-30).
    """
    words, fts = tuple(terms), search.match_query(terms)
    first = listing.first_start(session, filters)
    rarest = rarest_choice(session, chosen_values(filters))
    chosen = () if rarest is None else rarest.chosen
    indexed = search.with_choices(fts, [value.query for value in chosen])
    return Plan("led", words, indexed, chosen, first)


def _hits(filters: listing.EventFilters, terms: list[str], first: dt.date | None) -> Any:
    """The full-text index's matches of the words from the day `first` to the filters' last
    day (`search.hits`)."""
    return search.hits(terms, first=first, last=filters.to_date)


def _matching(filters: listing.EventFilters, plan: Plan) -> Any:
    """The matching events, found as `plan` says."""
    if plan.way == "plain":
        return listing.filtered(filters)
    if plan.way == "chosen first":
        return plan.chosen[0].leading(listing.filtered(filters))
    terms = search.Expanded(list(plan.words), plan.fts, None)
    others = listing.keyed(listing.left_to_check(filters, plan.chosen))
    return others.select_from(_led_by(_hits(filters, terms, plan.first)))


def _led_by(keys: Any) -> Any:
    """The events of the full-text index's matches (`search.hits`), in the index's order."""
    return probed(keys, search.event_id_of(keys.c.key))


def _without(filters: listing.EventFilters, facet: str) -> listing.EventFilters:
    emptied: dict[str, Any] = {FILTERED_BY[facet]: ()}
    return dataclasses.replace(filters, **emptied)


def facets(
    session: Session, filters: listing.EventFilters, counted: Counted | None = None
) -> dict[str, list[Choice]]:
    """Each facet's choices with their counts, among the events every other filter matches.
    Facets whose own filter is unset share one count (`counted`, when the caller has made it
    already); a chosen slug that matches nothing is still listed, so it can be unchosen."""
    if filters.include_deleted:
        raise ValueError("the timeline counts live events only")
    # A facet whose own filter is set is counted among the events the others match: that
    # count is asked for its rows alone.
    needed: dict[Any, tuple[listing.EventFilters, list[str]]] = {}
    for facet in FILTERED_BY:
        others = _without(filters, facet)
        needed.setdefault(others.key(), (others, []))[1].append(facet)
    whole = filters.key()
    by_filters: dict[Any, Counted] = {whole: counted} if counted else {}
    chosen: dict[str, Counted] = {}
    for key, (others, named) in needed.items():
        if key not in by_filters:
            by_filters[key] = count(session, others, None if key == whole else named)
        for facet in named:
            chosen[facet] = by_filters[key]
    result: dict[str, list[Choice]] = {}
    for facet, names in (("kind", EVENT_KINDS), ("status", EVENT_STATUSES)):
        codes = {name: number for number, name in facet_rows.NAMED[facet].items()}
        counted = chosen[facet]
        result[facet] = [
            Choice(
                name,
                STATUS_LABELS.get(name, name.capitalize()),
                counted.counts[facet][codes[name]],
                counted.capped,
            )
            for name in names
        ]
    for facet in RECORDS:
        counted = chosen[facet]
        listed = _records(session, facet, counted.counts[facet], counted.capped)
        slugs = {choice.value for choice in listed}
        picked: Sequence[str] = getattr(filters, FILTERED_BY[facet])
        result[facet] = listed + [Choice(slug, slug, 0) for slug in picked if slug not in slugs]
    return result


def _records(session: Session, facet: str, counts: Counter[int], capped: bool) -> list[Choice]:
    """The records counted, by label, with their counts."""
    if not any(n > 0 for n in counts.values()):
        return []
    counted = [value_id for value_id, n in counts.items() if n > 0]
    rows = session.connection().execute(_RECORDS[facet], {"ids": counted}).all()
    return [Choice(slug, name, counts[value_id], capped) for value_id, slug, name in rows]


#: Per record facet: the records of some ids (a list bound as "ids") by label, their slugs
#: and labels. Made once: a page asks for each facet's, and a statement built per page cost
#: more than reading it.
_RECORDS = {
    facet: select(model.id, model.slug, label)
    .where(model.id.in_(bindparam("ids", expanding=True)))
    .order_by(label)
    for facet, (model, label) in RECORDS.items()
}


#: The choices a record facet shows at first: its most frequent, the rest one link away.
SHOWN_CHOICES = 12


@dataclass
class Shown:
    """A facet's choices as the page lists them, and how many more there are."""

    choices: list[Choice]
    more: int = 0


def shown(
    counted: dict[str, list[Choice]], chosen: dict[str, list[str]], expanded: Sequence[str]
) -> dict[str, Shown]:
    """Each facet's choices as the page lists them: the kinds and statuses all, a record
    facet its SHOWN_CHOICES most frequent and whatever is chosen (all of them when the
    reader asked for all), by label."""
    result: dict[str, Shown] = {}
    for facet, choices in counted.items():
        if facet not in RECORDS or facet in expanded or len(choices) <= SHOWN_CHOICES:
            result[facet] = Shown(choices)
            continue
        picked = set(chosen.get(facet, []))
        frequent = sorted(choices, key=lambda c: (-c.count, c.label))[:SHOWN_CHOICES]
        kept = {c.value for c in frequent} | picked
        listed = [c for c in choices if c.value in kept]
        result[facet] = Shown(listed, len(choices) - len(listed))
    return result
