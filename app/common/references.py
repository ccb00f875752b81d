"""Looking up records by slug for writes, with errors that name the field."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, event, select
from sqlalchemy.orm import Session, SessionTransaction

from app.core.errors import UnknownReference

T = TypeVar("T")

Loc = Sequence[str | int]


@lru_cache(maxsize=64)
def _lookup(model: Any, *options: Any) -> Select[Any]:
    """The lookup by slugs of a model, loaded with `options`, put together once (building one
    cost more than running it): a caller keeps its options in one object to be served here,
    and at most 64 are kept."""
    return select(model).where(model.slug.in_(bindparam("slugs", expanding=True))).options(*options)


#: session.info key: the records `resolve` found with `kept=True`, by (model, options, slug).
_KEPT = "parley_kept_references"


@event.listens_for(Session, "after_soft_rollback")
def _forget_kept(session: Session, _transaction: SessionTransaction) -> None:
    # A rollback, even of a SAVEPOINT, may have expired what was found: looked up again.
    session.info.pop(_KEPT, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_kept_at_the_end(session: Session, transaction: SessionTransaction) -> None:
    # Another transaction may have renamed them since: kept for one transaction at most.
    if transaction.parent is None:
        session.info.pop(_KEPT, None)


def resolve(
    session: Session,
    model: type[T],
    wanted: Sequence[tuple[Loc, str]],
    what: str,
    *options: Any,
    kept: bool = False,
) -> dict[str, T]:
    """Every record named, in one query (loaded with `options`); each unknown slug is an
    error at its own field.

    `kept`: those found are kept for the session's later lookups, which do not ask again.
    For records that the session's own work does not rename or remove (the actors, places,
    series and topics an event names, while events are written): the writes of a group
    (`app.core.group_commit`) share one session, and mostly name the same few."""
    slugs = {slug for _, slug in wanted}
    if not slugs:
        return {}
    known: dict[tuple[Any, ...], Any] = session.info.setdefault(_KEPT, {}) if kept else {}
    # Those the session still holds (it may have let go of all it held since).
    found = {
        slug: known[key]
        for slug in slugs
        if (key := (model, options, slug)) in known and known[key] in session
    }
    if len(found) < len(slugs):
        mapped: Any = model
        missing = sorted(slugs - found.keys())
        rows: Any = session.scalars(_lookup(mapped, *options), {"slugs": missing}).unique()
        for row in rows:
            found[row.slug] = row
            if kept:
                known[(model, options, row.slug)] = row
    errors = [
        {"loc": list(loc), "msg": f"there is no {what} {slug!r}", "type": "unknown_reference"}
        for loc, slug in wanted
        if slug not in found
    ]
    if errors:
        raise UnknownReference(str(errors[0]["msg"]), errors=errors)
    return found
