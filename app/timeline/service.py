"""The timeline window: which events a stretch of time holds, drawn as items or counted."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.actors.models import Actor
from app.events import documents, facet_rows, listing, search, tallies
from app.events.dates import awaiting_confirmation, date_label, display_status
from app.events.fields import EVENT_KINDS, PLANNED_STATUSES
from app.events.joins import LeadingJoin
from app.events.models import Event
from app.events.schemas import EventRead
from app.timeline import facets
from app.timeline.schemas import (
    Lane,
    LaneMode,
    NearestEvent,
    TimelineBucket,
    TimelineItem,
    TimelineWindow,
)

Granularity = Literal["day", "month", "year"]

#: Above this many events a window is answered as counts per period and lane.
MAX_ITEMS = 400
#: Ranges longer than this that began before a window are not looked for: the bound keeps the
#: window query an index range on starts_at instead of a scan of every earlier event.
LONGEST_RANGE = dt.timedelta(days=120)
JOINT = "joint"
NO_SIDE = "none"


def _end_moment(end: dt.date) -> dt.datetime:
    """Where a window's end (the day after its last) begins; a window ending on the
    calendar's last day, after which no day comes, takes that day in too."""
    return dt.datetime.combine(end, dt.time.max if end == dt.date.max else dt.time())


def in_window(filters: listing.EventFilters, start: dt.date, end: dt.date) -> Select[Any]:
    """The filtered events that touch [start, end): an index range on starts_at."""
    # Windows at the very start of the calendar look back as far as there are days.
    first = dt.datetime.combine(max(start, dt.date.min + LONGEST_RANGE) - LONGEST_RANGE, dt.time())
    after = _end_moment(end)
    return listing.filtered(filters).where(
        Event.starts_at >= first,
        Event.starts_at < after,
        func.coalesce(Event.end_date, Event.start_date) >= start,
    )


def granularity_for(start: dt.date, end: dt.date) -> Granularity:
    days = (end - start).days
    if days <= 180:
        return "day"
    if days <= 366 * 15:
        return "month"
    return "year"


def _period(session: Session, granularity: Granularity, column: Any) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return func.strftime(
            {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[granularity], column
        )
    return func.to_char(
        column, {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}[granularity]
    )


def _period_bounds(text: str, granularity: Granularity) -> tuple[dt.date, dt.date]:
    """The first day of a period and the day after its last (the last day there is, for the
    last period of the calendar: no date comes after 9999-12-31)."""
    if granularity == "day":
        first = dt.date.fromisoformat(text)
        last = first
    elif granularity == "month":
        year, month = (int(part) for part in text.split("-"))
        first = dt.date(year, month, 1)
        last = first.replace(day=calendar.monthrange(year, month)[1])
    else:
        first = dt.date(int(text), 1, 1)
        last = first.replace(month=12, day=31)
    return first, last + dt.timedelta(days=1) if last < dt.date.max else last


def _side_lanes(session: Session, side_ids: set[int]) -> dict[int, tuple[str, str]]:
    ids = {i for i in side_ids if i and i > 0}
    rows = session.execute(select(Actor.id, Actor.slug, Actor.name).where(Actor.id.in_(ids)))
    return {row.id: (row.slug, row.name) for row in rows}


def _lane_of_side(side_id: int | None, sides: dict[int, tuple[str, str]]) -> str:
    if side_id is None or side_id == facet_rows.NO_SIDE:
        return NO_SIDE
    if side_id == facet_rows.JOINT_SIDE:
        return JOINT
    return sides[side_id][0]


def _groups(mode: LaneMode, used: set[str], sides: dict[int, tuple[str, str]]) -> list[Lane]:
    if mode == "none":
        return []
    if mode == "kind":
        return [Lane(id=kind, name=kind.capitalize()) for kind in EVENT_KINDS if kind in used]
    named = sorted((name, slug) for slug, name in sides.values() if slug in used)
    lanes = [Lane(id=slug, name=name) for name, slug in named]
    if JOINT in used:
        lanes.append(Lane(id=JOINT, name="Several sides"))
    if NO_SIDE in used:
        lanes.append(Lane(id=NO_SIDE, name="No side named"))
    return lanes


def window(
    session: Session,
    *,
    filters: listing.EventFilters,
    start: dt.date,
    end: dt.date,
    lanes: LaneMode = "none",
    today: dt.date | None = None,
) -> TimelineWindow:
    """The events in [start, end) as items, or as counts per period and lane when there are more
    than MAX_ITEMS. A fixed number of queries, whatever the window holds."""
    matching = in_window(filters, start, end)
    events = matching.subquery()
    # Counting stops one past the limit: deciding "too many" costs the same at 1k or 1M events.
    capped = matching.with_only_columns(Event.id).limit(MAX_ITEMS + 1).subquery()
    total = session.scalar(select(func.count()).select_from(capped)) or 0
    if total > MAX_ITEMS:
        granularity = granularity_for(start, end)
        if facets.is_empty(filters) and granularity != "day":
            return _counted_months(session, start, end, lanes, granularity)
        return _aggregated(session, events, start, end, lanes)

    items, sides = _items(session, events, lanes, today)
    used = {item.lane for item in items if item.lane}
    before, after = nearest(session, filters, start, end) if not items else (None, None)
    return TimelineWindow(
        start=start,
        end=end,
        lanes=lanes,
        total=total,
        aggregated=False,
        groups=_groups(lanes, used, sides),
        items=items,
        buckets=[],
        before=before,
        after=after,
    )


def nearest(
    session: Session, filters: listing.EventFilters, start: dt.date, end: dt.date
) -> tuple[NearestEvent | None, NearestEvent | None]:
    """The matching events closest to an empty window on either side, so the timeline can say
    where to go instead of leaving the reader in an empty stretch. Two index seeks on
    starts_at, asked only when the window is empty."""
    first = dt.datetime.combine(start, dt.time())
    after = _end_moment(end)
    earlier = (
        listing.filtered(filters)
        .where(Event.starts_at < first)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(1)
    )
    later = (
        listing.filtered(filters)
        .where(Event.starts_at >= after)
        .order_by(Event.starts_at, Event.id)
        .limit(1)
    )
    return _nearest(session.scalars(earlier).first()), _nearest(session.scalars(later).first())


def _nearest(event: Event | None) -> NearestEvent | None:
    """What the timeline needs to name an event and go to it."""
    if event is None:
        return None
    last = event.end_date if event.end_date and event.end_date > event.start_date else None
    return NearestEvent(
        slug=event.slug,
        title=event.title,
        start=event.start_date,
        end=last,
        date_label=date_label(event),
    )


def _items(
    session: Session, events: Any, lanes: LaneMode, today: dt.date | None
) -> tuple[list[TimelineItem], dict[int, tuple[str, str]]]:
    """The window's events as items, each in its lane; and the sides those lanes name."""
    side = facet_rows.side_per_event(select(events.c.id))
    rows = session.execute(
        select(
            events.c.id,
            events.c.slug,
            events.c.title,
            events.c.kind,
            events.c.status,
            events.c.start_date,
            events.c.end_date,
            events.c.start_time,
            events.c.date_precision,
            events.c.date_approximate,
            side.c.side_id,
        )
        .outerjoin(side, side.c.event_id == events.c.id)
        .order_by(events.c.starts_at, events.c.id)
    ).all()
    sides = _side_lanes(session, {row.side_id for row in rows}) if lanes == "party" else {}
    items = []
    for row in rows:
        if lanes == "party":
            lane: str | None = _lane_of_side(row.side_id, sides)
        else:
            lane = row.kind if lanes == "kind" else None
        items.append(
            TimelineItem(
                slug=row.slug,
                title=row.title,
                kind=row.kind,
                status=row.status,
                display_status=display_status(row, today),
                awaiting_confirmation=awaiting_confirmation(row, today),
                date_label=date_label(row),
                start=row.start_date,
                end=row.end_date if row.end_date and row.end_date > row.start_date else None,
                lane=lane,
            )
        )
    return items, sides


def _aggregated(
    session: Session, events: Any, start: dt.date, end: dt.date, lanes: LaneMode
) -> TimelineWindow:
    granularity = granularity_for(start, end)
    period = _period(session, granularity, events.c.start_date).label("period")
    side = facet_rows.side_per_event(select(events.c.id))
    if lanes == "party":
        lane_column: Any = side.c.side_id
    elif lanes == "kind":
        lane_column = events.c.kind
    else:
        lane_column = None
    columns = [period, func.count().label("n")]
    query = select(*columns)
    if lane_column is not None:
        query = select(period, lane_column.label("lane"), func.count().label("n"))
    query = query.select_from(events)
    if lanes == "party":
        query = query.outerjoin(side, side.c.event_id == events.c.id)
    group_by = [period] if lane_column is None else [period, lane_column]
    rows = session.execute(query.group_by(*group_by)).all()

    sides = _side_lanes(session, {row.lane for row in rows}) if lanes == "party" else {}
    counts: dict[tuple[str, str | None], int] = defaultdict(int)
    for row in rows:
        lane: str | None = None
        if lanes == "party":
            lane = _lane_of_side(row.lane, sides)
        elif lanes == "kind":
            lane = row.lane
        counts[(row.period, lane)] += row.n
    return _buckets(start, end, lanes, granularity, counts, sides)


def _counted_months(
    session: Session, start: dt.date, end: dt.date, lanes: LaneMode, granularity: Granularity
) -> TimelineWindow:
    """A window of every event counted per month or year and lane from the month tallies:
    a read of the window's months, whatever the number of events. Each bucket counts its
    whole period (the events that began in it)."""
    lane_rows = facet_rows.BY_SIDE if lanes == "party" else facet_rows.BY_KIND
    rows = tallies.months(session, lane_rows, start, end - dt.timedelta(days=1))
    sides = _side_lanes(session, {value for _, value, _ in rows}) if lanes == "party" else {}
    kinds = facet_rows.NAMED["kind"]
    counts: dict[tuple[str, str | None], int] = defaultdict(int)
    for facet, value, n in rows:
        year, month = facet[1:5], facet[5:7]
        period = f"{year}-{month}" if granularity == "month" else year
        lane: str | None = None
        if lanes == "party":
            lane = _lane_of_side(value, sides)
        elif lanes == "kind":
            lane = kinds.get(value)
        counts[(period, lane)] += n
    return _buckets(start, end, lanes, granularity, counts, sides)


def _buckets(
    start: dt.date,
    end: dt.date,
    lanes: LaneMode,
    granularity: Granularity,
    counts: dict[tuple[str, str | None], int],
    sides: dict[int, tuple[str, str]],
) -> TimelineWindow:
    """The window answered as counts per period and lane."""
    buckets = []
    for (text, lane), count in sorted(
        counts.items(), key=lambda pair: (pair[0][0], pair[0][1] or "")
    ):
        first, after = _period_bounds(text, granularity)
        buckets.append(TimelineBucket(start=first, end=after, lane=lane, count=count))
    used = {bucket.lane for bucket in buckets if bucket.lane}
    return TimelineWindow(
        start=start,
        end=end,
        lanes=lanes,
        total=sum(bucket.count for bucket in buckets),
        aggregated=True,
        granularity=granularity,
        groups=_groups(lanes, used, sides),
        items=[],
        buckets=buckets,
    )


@dataclass
class Extent:
    """How many events match, and the first and last day they cover. Past `facets.CAP`
    matching events the total is a floor (`at_least`); the days are always exact."""

    total: int
    first: dt.date | None
    last: dt.date | None
    at_least: bool = False

    @property
    def label(self) -> str:
        """The total as a reader reads it: "1,234", or "1,000+" when it is a floor."""
        return f"{self.total:,}+" if self.at_least else f"{self.total:,}"


def extent(
    session: Session,
    *,
    filters: listing.EventFilters,
    counted: facets.Counted | None = None,
) -> Extent:
    """The matching events' count and span, in a few indexed reads at any size: the count
    from the tallies (nothing filtered) or of at most `facets.CAP` matches (`counted`, when
    the caller has made it already), which also gives the span when all were counted; else
    the first day from the first match in date order, the last from the last start and the
    last end."""
    counted = counted or facets.count(session, filters)
    total, capped = counted.total, counted.capped
    if not facets.is_empty(filters) and not capped:
        return Extent(total=total, first=counted.first, last=counted.last)
    # The first and the last match in date order, found as a page of one is (a search led
    # by the full-text index where that is quicker).
    first = _start_of(session, listing.page_ids(session, filters=filters, limit=1)[0])
    last_start = _start_of(
        session, listing.page_ids(session, filters=filters, order="desc", limit=1)[0]
    )
    # The ranges that end late are few: each is checked on its own against the words.
    terms = search.expand(session, search.words(filters.q))
    matching = listing.filtered(dataclasses.replace(filters, q=None))
    if terms:
        matching = matching.where(search.match_each(Event.id, Event.search_text, terms))
    ends = [day for day in (last_start, _last_end(session, matching, last_start)) if day]
    return Extent(total=total, first=first, last=max(ends) if ends else None, at_least=capped)


def _start_of(session: Session, event_ids: list[int]) -> dt.date | None:
    """The first day of the event of a page of one (None for an empty page)."""
    if not event_ids:
        return None
    day: dt.date | None = session.scalar(select(Event.start_date).where(Event.id == event_ids[0]))
    return day


#: Ranges looked through one by one for the last day matching events cover.
LATE_RANGES = 5_000


def _last_end(session: Session, matching: Select[Any], after: dt.date | None) -> dt.date | None:
    """The latest end among matching ranges that end after `after` (the last start): such
    ranges are few, so they are found first by the index on end dates and only then checked
    against the filters (SQLite, knowing nothing of how few, would walk a filter's index)."""
    late = (
        select(Event.id.label("id"))
        .where(Event.end_date > (after or dt.date.min))
        .order_by(Event.end_date.desc())
        .limit(LATE_RANGES + 1)
    )
    # Counted on the index of end dates first; named in the statement, not sent back as a
    # list of ids (5,000 of them cost about 12 ms in Python, at 100k for a page ending in
    # 2001).
    found = session.scalar(select(func.count()).select_from(late.subquery()))
    if not found:
        return None
    query = matching.with_only_columns(func.max(Event.end_date))
    if found <= LATE_RANGES:
        # The late ranges lead (a CROSS JOIN on SQLite), each found by its id: left to
        # itself, SQLite would walk a chosen kind's index instead (15 ms at 1M).
        ids = late.subquery("late")
        query = query.select_from(LeadingJoin(ids, Event.__table__, Event.id == ids.c.id))
    else:
        query = query.where(Event.end_date > (after or dt.date.min))
    day: dt.date | None = session.scalar(query)
    return day


def upcoming(
    session: Session, *, filters: listing.EventFilters, today: dt.date, limit: int = 10
) -> list[EventRead]:
    """Planned events (within the filters) whose date has not passed, soonest first."""
    statuses = [s for s in PLANNED_STATUSES if not filters.statuses or s in filters.statuses]
    if not statuses:
        return []
    # "Not passed" is "overlaps today or later": said as a `from` date, it is also a seek on
    # starts_at from about today (listing._date_conditions), not a read of every plan ever.
    planned = dataclasses.replace(
        filters,
        statuses=statuses,
        from_date=max(filters.from_date, today) if filters.from_date else today,
    )
    events, _ = documents.page(session, filters=planned, limit=limit, today=today)
    return events
