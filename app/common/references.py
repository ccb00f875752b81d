"""Looking up records by slug for writes, with errors that name the field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from app.core.errors import UnknownReference

T = TypeVar("T")

Loc = Sequence[str | int]

#: The lookups put together so far, by model and loader options (the same objects each time
#: where a caller keeps them): building one cost more than running it.
_LOOKUPS: dict[tuple[Any, ...], Select[Any]] = {}


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
    query = _LOOKUPS.get((model, *options))
    if query is None:
        column: Any = model.slug  # type: ignore[attr-defined]
        query = select(model).where(column.in_(bindparam("slugs", expanding=True)))
        query = _LOOKUPS.setdefault((model, *options), query.options(*options))
    rows: Any = session.scalars(query, {"slugs": sorted(slugs)}).unique()
    found = {row.slug: row for row in rows}
    errors = [
        {"loc": list(loc), "msg": f"there is no {what} {slug!r}", "type": "unknown_reference"}
        for loc, slug in wanted
        if slug not in found
    ]
    if errors:
        raise UnknownReference(str(errors[0]["msg"]), errors=errors)
    return found
