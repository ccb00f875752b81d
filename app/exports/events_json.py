"""Events as JSON bytes, exactly as `GET /api/v1/events/{slug}` answers each: the one place
an export serialises an event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.events import documents


def ndjson(session: Session, event_ids: Sequence[int], today: dt.date) -> bytes:
    """A batch of events as NDJSON: one API object a line, each line ending in a newline.

    Each line is the event's stored document (`app.events.documents`), the very bytes the
    single-event answer sends, so an export costs a range read and a join; a test compares
    every line with the single-event answer.
    """
    return b"".join(answer + b"\n" for answer in documents.answers(session, event_ids, today))
