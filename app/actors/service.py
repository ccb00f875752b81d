"""Actor logic: find by slug, name or alias; create and change."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.actors.models import Actor
from app.actors.schemas import ActorCreate, ActorUpdate
from app.common import crud
from app.common.references import resolve
from app.core.errors import InvalidInput


def get_by_slug(session: Session, *, slug: str) -> Actor:
    return crud.get_by_slug(
        session, Actor, slug, "actor", selectinload(Actor.affiliation), selectinload(Actor.members)
    )


def get_all(
    session: Session, *, q: str | None = None, kind: str | None = None, limit: int = 500
) -> Sequence[Actor]:
    query = select(Actor).options(selectinload(Actor.affiliation)).order_by(Actor.name)
    if kind:
        query = query.where(Actor.kind == kind)
    if q:
        needle = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Actor.name).like(needle),
                func.lower(cast(Actor.aliases, String)).like(needle),
            )
        )
    return session.scalars(query.limit(limit)).all()


def _affiliation(session: Session, slug: str | None, own: str | None = None) -> Actor | None:
    if not slug:
        return None
    if slug == own:
        raise InvalidInput.field(["affiliation"], "an actor cannot be affiliated to itself")
    return resolve(session, Actor, [(("affiliation",), slug)], "actor")[slug]


def create(session: Session, *, data: ActorCreate) -> Actor:
    actor = Actor(
        slug=crud.new_slug(session, Actor, data.slug, data.name),
        name=data.name,
        aliases=list(dict.fromkeys(data.aliases)),
        kind=data.kind,
        title=data.title,
        description=data.description,
        affiliation=_affiliation(session, data.affiliation),
    )
    session.add(actor)
    session.flush()
    return get_by_slug(session, slug=actor.slug)


def update(session: Session, *, slug: str, data: ActorUpdate) -> Actor:
    actor = get_by_slug(session, slug=slug)
    crud.assign(actor, data, exclude={"affiliation"}, convert={"aliases": _unique})
    if "affiliation" in data.model_fields_set:
        actor.affiliation = _affiliation(session, data.affiliation, own=slug)
    session.flush()
    return actor


def _unique(aliases: list[str] | None) -> list[str]:
    return list(dict.fromkeys(aliases or []))
