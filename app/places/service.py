"""Place logic: find by slug, name or alias; create and change."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from app.common import crud
from app.places.models import Place
from app.places.schemas import PlaceCreate, PlaceUpdate


def get_by_slug(session: Session, *, slug: str) -> Place:
    return crud.get_by_slug(session, Place, slug, "place")


def get_all(session: Session, *, q: str | None = None, limit: int = 500) -> Sequence[Place]:
    query = select(Place).order_by(Place.name)
    if q:
        needle = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Place.name).like(needle),
                func.lower(cast(Place.aliases, String)).like(needle),
            )
        )
    return session.scalars(query.limit(limit)).all()


def create(session: Session, *, data: PlaceCreate) -> Place:
    place = Place(slug=crud.new_slug(session, Place, data.slug, data.name))
    crud.assign(place, data, exclude={"slug"}, only_set=False)
    place.aliases = list(dict.fromkeys(data.aliases))
    session.add(place)
    session.flush()
    return place


def update(session: Session, *, slug: str, data: PlaceUpdate) -> Place:
    place = get_by_slug(session, slug=slug)
    crud.assign(place, data)
    session.flush()
    return place
