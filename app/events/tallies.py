"""How many live events each filter choice has (`event_tally`), kept exact on every write.

A refresh of the events' choice rows (`facet_rows.refresh`, run by `indexing.py` after each
flush) says how the rows per choice changed; those changes are gathered per transaction and
added to the tallies in one sorted batch as the transaction's last step before COMMIT, so a
tally row is locked only for the commit (writers on PostgreSQL never queue behind each other
for the length of a transaction, and always lock rows in the same order, so never deadlock).
A SAVEPOINT that rolls back takes its changes with it, and those of the SAVEPOINTs
released inside it. Bulk loads that write choice rows
directly make the tallies again from them (`rebuild`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction

from app.events.facet_rows import CHOICES, Deltas, month_facet
from app.events.models import EventFacet, EventTally

_TABLE: Any = EventTally.__table__
#: session.info keys: the changes gathered per open transaction, and the SAVEPOINTs rolled
#: back. Keyed by the transactions themselves, which stay alive while they are keys: the id
#: of one that has ended may be another's.
_PENDING = "parley_tally_pending"
_ROLLED_BACK = "parley_tally_rolled_back"


def _pending(session: Session) -> dict[SessionTransaction, Deltas]:
    pending: dict[SessionTransaction, Deltas] = session.info.setdefault(_PENDING, {})
    return pending


def record(session: Session, deltas: Deltas) -> None:
    """Count these changes in the innermost open transaction of the session."""
    if not deltas:
        return
    transaction = session.get_nested_transaction() or session.get_transaction()
    if transaction is not None:
        _pending(session).setdefault(transaction, Counter()).update(deltas)


@sqlalchemy_event.listens_for(Session, "after_rollback")
def _note_rollback(session: Session) -> None:
    # The database has rolled back to the innermost SAVEPOINT: rolled back by hand, or by a
    # flush that failed inside it (the session then says "soft rollback" of the flush's own
    # transaction, never of the SAVEPOINT).
    savepoint = session.get_nested_transaction()
    if savepoint is not None:
        session.info.setdefault(_ROLLED_BACK, set()).add(savepoint)


@sqlalchemy_event.listens_for(Session, "after_transaction_end")
def _hand_over(session: Session, transaction: SessionTransaction) -> None:
    # A SAVEPOINT released hands its changes to the transaction it was in; one rolled back
    # drops them, with those of the SAVEPOINTs released inside it.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_ROLLED_BACK, None)
        return
    rolled_back = session.info.get(_ROLLED_BACK, set())
    changes = session.info.get(_PENDING, {}).pop(transaction, None)
    if transaction in rolled_back:
        rolled_back.discard(transaction)
    elif changes:
        _pending(session).setdefault(transaction.parent, Counter()).update(changes)


@sqlalchemy_event.listens_for(Session, "before_commit")
def _apply_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT being released: the real COMMIT comes later
    pending = session.info.get(_PENDING)
    if not pending:
        return
    session.flush()  # the last flush's changes are counted too
    root = session.get_transaction()
    changes = pending.pop(root, None) if root is not None else None
    if changes:
        add(session.connection(), changes)


def _upsert(dialect: Any) -> Any:
    statement = dialect.insert(_TABLE)
    return statement.on_conflict_do_update(
        index_elements=["facet", "value_id"], set_={"n": _TABLE.c.n + statement.excluded.n}
    )


#: Put together once per database: every write runs it.
_ADD = {"postgresql": _upsert(postgresql), "sqlite": _upsert(sqlite)}


def add(connection: Connection, changes: Deltas) -> None:
    """Add the changes to the tallies, row by row in the order of their keys."""
    rows = [
        {"facet": facet, "value_id": value_id, "n": n}
        for (facet, value_id), n in sorted(changes.items())
        if n
    ]
    if rows:
        connection.execute(_ADD[connection.dialect.name], rows)


def rebuild(connection: Connection) -> None:
    """Count every choice again from the rows of `event_facet` (after a bulk load)."""
    connection.execute(delete(_TABLE))
    facets: Any = EventFacet.__table__
    connection.execute(
        insert(_TABLE).from_select(
            ["facet", "value_id", "n"],
            select(facets.c.facet, facets.c.value_id, func.count()).group_by(
                facets.c.facet, facets.c.value_id
            ),
        )
    )


def live_events() -> Any:
    """How many live events there are, as an SQL value: every one has one status, so the
    status tallies add up to all of them."""
    return (
        select(func.coalesce(func.sum(_TABLE.c.n), 0))
        .where(_TABLE.c.facet == "status")
        .scalar_subquery()
    )


def read(session: Session) -> dict[str, dict[int, int]]:
    """Every filter choice that has live events, with how many: facet → value_id → count."""
    counted: dict[str, dict[int, int]] = {}
    for facet, value_id, n in session.execute(
        select(_TABLE.c.facet, _TABLE.c.value_id, _TABLE.c.n).where(
            _TABLE.c.facet.in_(CHOICES), _TABLE.c.n > 0
        )
    ):
        counted.setdefault(facet, {})[value_id] = n
    return counted


def months(
    session: Session, lane: str, first: dt.date, last: dt.date
) -> list[tuple[str, int, int]]:
    """(month row, value, count) of one lane's months from `first`'s to `last`'s: how many
    live events began in each month, by side (`BY_SIDE`) or by kind (`BY_KIND`)."""
    rows = session.execute(
        select(_TABLE.c.facet, _TABLE.c.value_id, _TABLE.c.n).where(
            _TABLE.c.facet >= month_facet(lane, first),
            _TABLE.c.facet <= month_facet(lane, last),
            _TABLE.c.n > 0,
        )
    )
    return [(facet, value_id, n) for facet, value_id, n in rows]
