"""Many events fast, for trying the timeline at scale: bulk Core inserts, no revisions."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, insert, select

import app.models  # noqa: F401  (every table, so the mappers configure)
from app.actors.models import Actor
from app.core.base import utcnow
from app.core.database import Database
from app.events import documents
from app.events.fields import EVENT_KINDS
from app.events.models import Event, Participation

CHUNK = 5_000


def fill(
    database: Database,
    count: int,
    *,
    first_day: dt.date = dt.date(1990, 1, 1),
    days: int = 365 * 40,
    seed: int = 1,
) -> int:
    """Add `count` synthetic events spread over `days` from `first_day`; each takes part with
    one existing state, so lanes by side have something to show. Returns the number added.
    Not for real data: these events have no sources and no revisions."""
    rng = random.Random(seed)
    now = utcnow()
    with database.engine.begin() as connection:
        states = list(connection.scalars(select(Actor.id).where(Actor.kind == "state")))
        next_id = (connection.scalar(select(func.max(Event.id))) or 0) + 1
        for offset in range(0, count, CHUNK):
            events = []
            participations = []
            for n in range(offset, min(count, offset + CHUNK)):
                start = first_day + dt.timedelta(days=rng.randrange(days))
                length = rng.choice((0, 0, 0, 0, 1, 2))
                kind = rng.choice(EVENT_KINDS)
                event_id = next_id + n
                events.append(
                    {
                        "id": event_id,
                        "slug": f"bulk-{event_id}",
                        "title": f"Synthetic {kind} {n + 1}",
                        "summary": "A generated event for trying the timeline at scale.",
                        "body": "",
                        "kind": kind,
                        "status": "held",
                        "start_date": start,
                        "end_date": start + dt.timedelta(days=length) if length else None,
                        "date_precision": "day",
                        "date_approximate": False,
                        "starts_at": dt.datetime.combine(start, dt.time()),
                        "version": 1,
                        "search_text": f"synthetic {kind}",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                if states:
                    participations.append(
                        {"event_id": event_id, "actor_id": rng.choice(states), "role": "party"}
                    )
            connection.execute(insert(Event), events)
            if participations:
                connection.execute(insert(Participation), participations)
        if database.engine.dialect.name == "postgresql":
            # Explicit ids leave the sequence behind; move it past them.
            connection.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('event', 'id'), (SELECT max(id) FROM event))"
            )
    # Core inserts pass no listener: the stored answers are made once, at the end.
    with database.session(write=True) as session:
        documents.fill(session)
    return count
