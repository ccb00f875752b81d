"""Tag logic."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.common import crud
from app.tags.models import Tag
from app.tags.schemas import TagCreate, TagUpdate


def get_by_slug(session: Session, *, slug: str) -> Tag:
    return crud.get_by_slug(session, Tag, slug, "tag")


def get_all(session: Session) -> Sequence[Tag]:
    return session.scalars(select(Tag).order_by(Tag.name)).all()


def create(session: Session, *, data: TagCreate) -> Tag:
    tag = Tag(slug=crud.new_slug(session, Tag, data.slug, data.name), name=data.name)
    session.add(tag)
    session.flush()
    return tag


def update(session: Session, *, slug: str, data: TagUpdate) -> Tag:
    tag = get_by_slug(session, slug=slug)
    crud.assign(tag, data)
    session.flush()
    return tag
