"""The data version: one counter that every transaction writing timeline data moves on.

Readers that keep answers in memory (`app.web.answer_cache`) ask for it before each answer: as
long as it has not moved, nothing they answered from has changed, in this process or in any
other process or worker sharing the database. The counter is moved by the writing session
itself, as the last statement before COMMIT, so it becomes visible together with the data
and holds its row lock only for the commit (writers never wait on it while holding others).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from sqlalchemy import DDL, BigInteger, CheckConstraint, Engine, event, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    SessionTransaction,
    mapped_column,
    sessionmaker,
)

from app.core.base import Base

#: Tables whose rows never appear in a cached answer: writing them leaves the version alone,
#: so signing in or a visitor's suggestion does not empty every worker's cache.
UNTRACKED_TABLES = frozenset(
    {
        "data_version",
        "user_session",
        "login_attempt",
        "login_throttle",
        "api_token",
        "user",
        "suggestion",
    }
)

_CHANGED = "parley_data_changed"

T = TypeVar("T")


class DataVersion(Base):
    __tablename__ = "data_version"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# Databases made from the models (not by the migrations) get their one row too.
event.listen(
    DataVersion.__table__,
    "after_create",
    DDL("INSERT INTO data_version (id, version) VALUES (1, 0)"),
)


#: The one read every cached answer costs.
VERSION_QUERY = select(DataVersion.version).where(DataVersion.id == 1)


def current_version(engine: Engine) -> int | None:
    """The data version, or None where it cannot be read (an older schema, a dropped
    connection): then nothing may be served from memory."""
    try:
        with engine.connect() as connection:
            value = connection.scalar(VERSION_QUERY)
    except DBAPIError:
        return None
    return int(value) if value is not None else None


def _tracked(table: Any) -> bool:
    return table is None or table.name not in UNTRACKED_TABLES


def _after_flush(session: Session, _context: Any) -> None:
    # Still the pre-flush lists here: what this flush inserted, changed or deleted.
    if any(_tracked(o.__table__) for o in (*session.new, *session.dirty, *session.deleted)):
        session.info[_CHANGED] = True


def _on_execute(state: ORMExecuteState) -> None:
    # Bulk UPDATE/DELETE/INSERT statements bypass the flush.
    if (state.is_insert or state.is_update or state.is_delete) and _tracked(
        getattr(state.statement, "table", None)
    ):
        state.session.info[_CHANGED] = True


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT being released: the real COMMIT comes later
    session.flush()
    if session.info.pop(_CHANGED, False):
        session.execute(
            update(DataVersion)
            .where(DataVersion.id == 1)
            .values(version=DataVersion.version + 1)
            .execution_options(synchronize_session=False)
        )


def _forget(session: Session, transaction: SessionTransaction) -> None:
    # Only when the whole transaction ends: a rolled-back SAVEPOINT leaves earlier changes.
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)


def track_changes(factory: sessionmaker[Session]) -> None:
    """Make every session of `factory` move the data version when it commits a change."""
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _on_execute)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_transaction_end", _forget)


class KeptWhileUnchanged(Generic[T]):
    """Values computed from the data, kept per worker under the data version they were
    computed at: a new version drops them all. The least recently used go once their weights
    pass `budget` (one value may weigh at most an eighth of it, so a few huge ones cannot push
    out everything else). Thread-safe: sync routes run in a thread pool."""

    def __init__(self, budget: int, weigh: Callable[[T], int] = lambda _value: 1) -> None:
        self.budget = budget
        self.weigh = weigh
        self.version: int | None = None
        self.values: OrderedDict[Hashable, tuple[T, int]] = OrderedDict()
        self.weight = 0
        self.lock = threading.Lock()

    def lookup(self, version: int, key: Hashable) -> T | None:
        with self.lock:
            if version != self.version:
                self.values.clear()
                self.weight = 0
                self.version = version
                return None
            kept = self.values.get(key)
            if kept is None:
                return None
            self.values.move_to_end(key)
            return kept[0]

    def keep(self, version: int, key: Hashable, value: T) -> None:
        """Keep `value`, computed after `version` was read (so never older than it)."""
        weight = self.weigh(value)
        with self.lock:
            if version != self.version or weight > self.budget // 8:
                return
            old = self.values.pop(key, None)
            self.weight += weight - (old[1] if old else 0)
            self.values[key] = (value, weight)
            while self.weight > self.budget:
                _key, (_value, dropped) = self.values.popitem(last=False)
                self.weight -= dropped

    def get(self, session: Session, key: Hashable, make: Callable[[], T]) -> T:
        """The kept value, or `make()`'s, kept; the version is read in the caller's
        transaction before `make` runs. A transaction that has written data makes the value
        and keeps nothing: what it sees may never be committed."""
        if session.info.get(_CHANGED):
            return make()
        version = session.scalar(VERSION_QUERY) if self.budget else None
        if version is None:
            return make()
        value = self.lookup(version, key)
        if value is None:
            value = make()
            self.keep(version, key, value)
        return value
