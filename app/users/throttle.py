"""The sign-in throttle: each try claims a place under its name and address (or its device)
before any password is checked, in one short transaction of its own, so that however many
tries arrive at once, no more than the limit are checked.

A claim is one conditional UPDATE (… WHERE tries < limit RETURNING), or an INSERT … ON
CONFLICT DO NOTHING for the first try: the database decides, not a count read beforehand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, case, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.core.base import utcnow
from app.core.database import Database
from app.users.models import LoginThrottle

#: Tries counted over this window...
THROTTLE_WINDOW = dt.timedelta(minutes=15)
#: ...before a name is refused for the rest of the window...
MAX_FAILURES_PER_NAME = 5
#: ...and before an address is (higher: several editors may share an office address)...
MAX_FAILURES_PER_ADDRESS = 20
#: ...and before a browser that signed in as this editor before is (counted apart from the
#: name, so an attack on the name from elsewhere does not lock the editor out).
MAX_FAILURES_PER_DEVICE = 5

_table = cast(Table, LoginThrottle.__table__)

#: (key, limit) pairs.
Keys = Sequence[tuple[str, int]]


def keys_for(*, username: str, address_key: str, device: str | None) -> list[tuple[str, int]]:
    """What a try counts against: a known device alone, or else the name and the address.
    Sorted, so that two claims lock rows in the same order and cannot deadlock."""
    if device is not None:
        return [(f"device:{device}", MAX_FAILURES_PER_DEVICE)]
    return sorted(
        [
            (f"name:{username}", MAX_FAILURES_PER_NAME),
            (f"address:{address_key}", MAX_FAILURES_PER_ADDRESS),
        ]
    )


def _claim_one(session: Session, key: str, limit: int, now: dt.datetime) -> bool:
    stale = _table.c.window_started_at < now - THROTTLE_WINDOW
    claimed = session.execute(
        update(_table)
        .where(_table.c.key == key, or_(stale, _table.c.tries < limit))
        .values(
            tries=case((stale, 1), else_=_table.c.tries + 1),
            window_started_at=case((stale, now), else_=_table.c.window_started_at),
        )
        .returning(_table.c.tries)
    ).first()
    if claimed is not None:
        return True
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    made = session.execute(
        insert(_table)
        .values(key=key, tries=1, window_started_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(_table.c.key)
    ).first()
    return made is not None


def claim(database: Database, keys: Keys) -> dt.timedelta | None:
    """Claim one try under every key, or none: None when claimed, else how long to wait."""
    now = utcnow()
    with database.session(write=True) as session:
        for key, limit in keys:
            # A row another try inserted since this one looked is there now: look again.
            if not (_claim_one(session, key, limit, now) or _claim_one(session, key, limit, now)):
                session.rollback()
                return _wait(session, key, now)
    return None


def _wait(session: Session, key: str, now: dt.datetime) -> dt.timedelta:
    started = session.scalar(select(_table.c.window_started_at).where(_table.c.key == key))
    if started is None:
        return dt.timedelta(seconds=1)
    if started.tzinfo is None:
        started = started.replace(tzinfo=dt.UTC)
    return max(started + THROTTLE_WINDOW - now, dt.timedelta(seconds=1))


def give_back(session: Session, keys: Keys, *, right: bool) -> None:
    """A claimed try that was not a wrong password (right, or never checked) counts for
    nothing; a right one also clears its name, so an editor who mistyped starts afresh."""
    for key, _limit in keys:
        if right and key.startswith("name:"):
            session.execute(delete(_table).where(_table.c.key == key))
        else:
            session.execute(
                update(_table)
                .where(_table.c.key == key, _table.c.tries > 0)
                .values(tries=_table.c.tries - 1)
            )


def sweep(session: Session) -> None:
    """Rows of windows long past count for nothing: drop them, so the table stays small."""
    session.execute(
        delete(_table).where(_table.c.window_started_at < utcnow() - THROTTLE_WINDOW * 4)
    )
