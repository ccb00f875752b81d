"""Series logic: a thread of rounds and its events in order."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.common import crud
from app.series.models import Series
from app.series.schemas import SeriesCreate, SeriesUpdate


def get_by_slug(session: Session, *, slug: str) -> Series:
    return crud.get_by_slug(session, Series, slug, "series")


def get_all(session: Session) -> Sequence[Series]:
    return session.scalars(select(Series).order_by(Series.title)).all()


def create(session: Session, *, data: SeriesCreate) -> Series:
    series = Series(
        slug=crud.new_slug(session, Series, data.slug, data.title),
        title=data.title,
        description=data.description,
    )
    session.add(series)
    session.flush()
    return series


def update(session: Session, *, slug: str, data: SeriesUpdate) -> Series:
    series = get_by_slug(session, slug=slug)
    crud.assign(series, data)
    session.flush()
    return series
