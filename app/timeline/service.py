"""The timeline window: which events a stretch of time holds, drawn as items or counted."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Select, case, distinct, func, select
from sqlalchemy.orm import Session

from app.actors.models import Actor
from app.events import listing
from app.events.dates import awaiting_confirmation, date_label, display_status
from app.events.fields import EVENT_KINDS, PLANNED_STATUSES
from app.events.models import Event, Participation
from app.timeline.schemas import Lane, LaneMode, TimelineBucket, TimelineItem, TimelineWindow

Granularity = Literal["day", "month", "year"]

#: Above this many events a window is answered as counts per period and lane.
MAX_ITEMS = 400
#: Ranges longer than this that began before a window are not looked for: the bound keeps the
#: window query an index range on starts_at instead of a scan of every earlier event.
LONGEST_RANGE = dt.timedelta(days=120)
#: The roles that put an event on a side's lane (a host or a mediator does not).
SIDE_ROLES = ("party", "speaker", "delegate")
JOINT = "joint"
NO_SIDE = "none"


def in_window(filters: listing.EventFilters, start: dt.date, end: dt.date) -> Select[Any]:
    """The filtered events that touch [start, end): an index range on starts_at."""
    # Windows at the very start of the calendar look back as far as there are days.
    first = dt.datetime.combine(max(start, dt.date.min + LONGEST_RANGE) - LONGEST_RANGE, dt.time())
    after = dt.datetime.combine(end, dt.time())
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
    if granularity == "day":
        first = dt.date.fromisoformat(text)
        return first, first + dt.timedelta(days=1)
    if granularity == "month":
        year, month = (int(part) for part in text.split("-"))
        first = dt.date(year, month, 1)
        return first, dt.date(year + month // 12, month % 12 + 1, 1)
    year = int(text)
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


def _side_per_event(event_ids: Any = None) -> Any:
    """Per event: the one side it speaks for (a state, or whoever has no affiliation), or
    JOINT's marker (-1) when several sides take part."""
    side = func.coalesce(Actor.affiliation_id, Actor.id)
    return (
        select(
            Participation.event_id.label("event_id"),
            case((func.count(distinct(side)) > 1, -1), else_=func.min(side)).label("side_id"),
        )
        .join(Actor, Actor.id == Participation.actor_id)
        .where(
            Participation.role.in_(SIDE_ROLES),
            *([Participation.event_id.in_(event_ids)] if event_ids is not None else []),
        )
        .group_by(Participation.event_id)
        .subquery()
    )


def _side_lanes(session: Session, side_ids: set[int]) -> dict[int, tuple[str, str]]:
    ids = {i for i in side_ids if i and i > 0}
    rows = session.execute(select(Actor.id, Actor.slug, Actor.name).where(Actor.id.in_(ids)))
    return {row.id: (row.slug, row.name) for row in rows}


def _lane_of_side(side_id: int | None, sides: dict[int, tuple[str, str]]) -> str:
    if side_id is None:
        return NO_SIDE
    if side_id < 0:
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
        return _aggregated(session, events, start, end, lanes)

    items, sides = _items(session, events, lanes, today)
    used = {item.lane for item in items if item.lane}
    return TimelineWindow(
        start=start,
        end=end,
        lanes=lanes,
        total=total,
        aggregated=False,
        groups=_groups(lanes, used, sides),
        items=items,
        buckets=[],
    )


def _items(
    session: Session, events: Any, lanes: LaneMode, today: dt.date | None
) -> tuple[list[TimelineItem], dict[int, tuple[str, str]]]:
    """The window's events as items, each in its lane; and the sides those lanes name."""
    side = _side_per_event(select(events.c.id))
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
    side = _side_per_event()
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
    """How many events match, and the first and last day they cover."""

    total: int
    first: dt.date | None
    last: dt.date | None


def extent(session: Session, *, filters: listing.EventFilters) -> Extent:
    matching = listing.filtered(filters).subquery()
    total, first, last = session.execute(
        select(
            func.count(),
            func.min(matching.c.start_date),
            func.max(func.coalesce(matching.c.end_date, matching.c.start_date)),
        )
    ).one()
    return Extent(total=total or 0, first=first, last=last)


def upcoming(
    session: Session, *, filters: listing.EventFilters, today: dt.date, limit: int = 10
) -> list[Event]:
    """Planned events (within the filters) whose date has not passed, soonest first."""
    statuses = [s for s in PLANNED_STATUSES if not filters.statuses or s in filters.statuses]
    if not statuses:
        return []
    planned = dataclasses.replace(
        filters,
        statuses=statuses,
        extra=[*filters.extra, func.coalesce(Event.end_date, Event.start_date) >= today],
    )
    return listing.list_events(session, filters=planned, limit=limit).items
