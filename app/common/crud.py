"""The few steps every reference domain (actors, places, series, tags) shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.common.slugs import slugify, unique_slug
from app.core.errors import InvalidInput, NotFound

T = TypeVar("T")


def get_by_slug(session: Session, model: type[T], slug: str, what: str, *options: Any) -> T:
    column: Any = model.slug  # type: ignore[attr-defined]
    row = session.scalar(select(model).where(column == slug).options(*options))
    if row is None:
        raise NotFound(f"there is no {what} {slug!r}")
    return row


def slug_taken(session: Session, model: type[Any], slug: str) -> bool:
    return bool(session.scalar(select(exists().where(model.slug == slug))))


def new_slug(session: Session, model: type[Any], wanted: str | None, name: str) -> str:
    """The slug asked for (refused if taken), or a free one made from the name."""
    if wanted:
        if slug_taken(session, model, wanted):
            raise InvalidInput.field(["slug"], f"the slug {wanted!r} is taken", "slug_taken")
        return wanted
    return unique_slug(slugify(name), lambda candidate: slug_taken(session, model, candidate))


def assign(
    row: Any,
    data: BaseModel,
    *,
    exclude: set[str] | None = None,
    only_set: bool = True,
    convert: dict[str, Callable[[Any], Any]] | None = None,
) -> None:
    """Copy the given fields of a write schema onto a row."""
    values = data.model_dump(exclude_unset=only_set, exclude=exclude or set())
    for name, value in values.items():
        if convert and name in convert:
            value = convert[name](value)
        setattr(row, name, value)
