"""Answers kept for the rest of a transaction, while it writes nothing: a page asks the
same planning questions (how frequent are these words, which chosen value is rarest) of
each of its statements."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

T = TypeVar("T")
_KEPT = "parley_kept"


def kept(session: Session, key: Hashable, make: Callable[[], T]) -> T:
    """What `make()` answers, kept in the session under `key` until its transaction ends or
    its connection changes a row (SQLite counts the rows each connection changed); on other
    databases made each time."""
    if session.get_bind().dialect.name != "sqlite":
        return make()
    connection: Any = session.connection().connection.dbapi_connection
    changes = connection.total_changes
    held: dict[Hashable, tuple[int, Any]] = session.info.setdefault(_KEPT, {})
    if key in held and held[key][0] == changes:
        value: T = held[key][1]
        return value
    value = make()
    held[key] = (changes, value)
    return value


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    # Another transaction may read other rows.
    if transaction.parent is None:
        session.info.pop(_KEPT, None)
