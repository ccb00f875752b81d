"""Looking up records by slug for writes, with errors that name the field."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from app.core.errors import UnknownReference

T = TypeVar("T")

Loc = Sequence[str | int]


@lru_cache(maxsize=64)
def _lookup(model: Any, *options: Any) -> Select[Any]:
    """The lookup by slugs of a model, loaded with `options`, put together once (building one
    cost more than running it): a caller keeps its options in one object to be served here,
    and at most 64 are kept."""
    return select(model).where(model.slug.in_(bindparam("slugs", expanding=True))).options(*options)


def resolve(
    session: Session,
    model: type[T],
    wanted: Sequence[tuple[Loc, str]],
    what: str,
    *options: Any,
) -> dict[str, T]:
    """Every record named, in one query (loaded with `options`); each unknown slug is an
    error at its own field."""
    slugs = {slug for _, slug in wanted}
    if not slugs:
        return {}
    mapped: Any = model
    rows: Any = session.scalars(_lookup(mapped, *options), {"slugs": sorted(slugs)}).unique()
    found = {row.slug: row for row in rows}
    errors = [
        {"loc": list(loc), "msg": f"there is no {what} {slug!r}", "type": "unknown_reference"}
        for loc, slug in wanted
        if slug not in found
    ]
    if errors:
        raise UnknownReference(str(errors[0]["msg"]), errors=errors)
    return found
