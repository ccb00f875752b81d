"""Looking up records by slug for writes, with errors that name the field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import UnknownReference

T = TypeVar("T")

Loc = Sequence[str | int]


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
    column: Any = model.slug  # type: ignore[attr-defined]
    query = select(model).where(column.in_(slugs)).options(*options)
    found = {row.slug: row for row in session.scalars(query).unique()}  # type: ignore[attr-defined]
    errors = [
        {"loc": list(loc), "msg": f"there is no {what} {slug!r}", "type": "unknown_reference"}
        for loc, slug in wanted
        if slug not in found
    ]
    if errors:
        raise UnknownReference(str(errors[0]["msg"]), errors=errors)
    return found
