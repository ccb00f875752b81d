"""Counts per filter choice: a few grouped queries over the filtered events, one per filter."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sqlalchemy import distinct, func, select, union
from sqlalchemy.orm import Session

from app.actors.models import Actor
from app.events import listing
from app.events.fields import EVENT_KINDS, EVENT_STATUSES
from app.events.models import Event, Participation
from app.places.models import Place
from app.series.models import Series
from app.tags.models import Tag, event_tag

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


def _without(filters: listing.EventFilters, name: str, *columns: Any) -> Any:
    """`columns` over the filtered events, ignoring the filter being counted: each choice's
    count says how many events choosing it (too) would show."""
    emptied: dict[str, Any] = {name: ()}
    return (
        listing.filtered(dataclasses.replace(filters, **emptied))
        .with_only_columns(*columns)
        .select_from(Event)
    )


def _counts(session: Session, query: Any) -> dict[Any, int]:
    return {row[0]: row[1] for row in session.execute(query)}


def facets(session: Session, filters: listing.EventFilters) -> dict[str, list[Choice]]:
    """Six grouped COUNT queries, whatever the number of events or choices. A chosen slug
    that matches nothing is still listed, so it can be unchosen."""
    counted = _facets(session, filters)
    for name, chosen in (
        ("actor", filters.actors),
        ("place", filters.places),
        ("series", filters.series),
        ("tag", filters.tags),
    ):
        listed = {choice.value for choice in counted[name]}
        counted[name].extend(Choice(slug, slug, 0) for slug in chosen if slug not in listed)
    return counted


def _facets(session: Session, filters: listing.EventFilters) -> dict[str, list[Choice]]:
    kinds = _counts(
        session, _without(filters, "kinds", Event.kind, func.count()).group_by(Event.kind)
    )
    statuses = _counts(
        session, _without(filters, "statuses", Event.status, func.count()).group_by(Event.status)
    )
    places = session.execute(
        _without(filters, "places", Place.slug, Place.name, func.count())
        .join(Place, Event.place_id == Place.id)
        .group_by(Place.slug, Place.name)
        .order_by(Place.name)
    ).all()
    series = session.execute(
        _without(filters, "series", Series.slug, Series.title, func.count())
        .join(Series, Event.series_id == Series.id)
        .group_by(Series.slug, Series.title)
        .order_by(Series.title)
    ).all()
    tags = session.execute(
        _without(filters, "tags", Tag.slug, Tag.name, func.count())
        .join(event_tag, event_tag.c.event_id == Event.id)
        .join(Tag, Tag.id == event_tag.c.tag_id)
        .group_by(Tag.slug, Tag.name)
        .order_by(Tag.name)
    ).all()
    # An event counts for the actor who took part and for the side that actor speaks for
    # (unless only mentioned), as the actor filter does.
    pairs = union(
        select(Participation.event_id, Participation.actor_id.label("actor_id")),
        select(Participation.event_id, Actor.affiliation_id.label("actor_id"))
        .join(Actor, Actor.id == Participation.actor_id)
        .where(Actor.affiliation_id.is_not(None), Participation.role != "mentioned"),
    ).subquery()
    actors = session.execute(
        _without(filters, "actors", Actor.slug, Actor.name, func.count(distinct(Event.id)))
        .join(pairs, pairs.c.event_id == Event.id)
        .join(Actor, Actor.id == pairs.c.actor_id)
        .group_by(Actor.slug, Actor.name)
        .order_by(Actor.name)
    ).all()
    return {
        "kind": [Choice(k, k.capitalize(), kinds.get(k, 0)) for k in EVENT_KINDS],
        "status": [Choice(s, STATUS_LABELS[s], statuses.get(s, 0)) for s in EVENT_STATUSES],
        "actor": [Choice(slug, name, count) for slug, name, count in actors],
        "place": [Choice(slug, name, count) for slug, name, count in places],
        "series": [Choice(slug, title, count) for slug, title, count in series],
        "tag": [Choice(slug, name, count) for slug, name, count in tags],
    }
