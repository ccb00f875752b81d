"""Source logic: sources are found by URL, the one thing that identifies them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.common import crud
from app.core.errors import InvalidInput, NotFound
from app.sources.models import Source
from app.sources.schemas import SourceCreate, SourceUpdate


def find_by_url(session: Session, *, url: str) -> Source | None:
    return session.scalar(select(Source).where(Source.url == url.strip()))


def get(session: Session, *, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"there is no source {source_id}")
    return source


def get_all(session: Session, *, limit: int = 500) -> Sequence[Source]:
    return session.scalars(
        select(Source).order_by(Source.published_on, Source.id).limit(limit)
    ).all()


def create(session: Session, *, data: SourceCreate) -> Source:
    if session.scalar(select(Source.id).where(Source.url == data.url)) is not None:
        raise InvalidInput.field(["url"], "a source with this URL exists already", "url_taken")
    source = Source()
    crud.assign(source, data, only_set=False)
    session.add(source)
    session.flush()
    return source


def update(session: Session, *, source_id: int, data: SourceUpdate) -> Source:
    source = get(session, source_id=source_id)
    crud.assign(source, data)
    session.flush()
    return source
