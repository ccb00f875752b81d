"""The CSV export's body: the header, then each matching event's row as kept beside its
stored answer (`app.events.documents`), so that a batch costs a range read and a join."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.events import documents
from app.events.spreadsheet import header

__all__ = ["header", "rows"]


def rows(session: Session, event_ids: list[int], _today: dt.date) -> bytes:
    """A batch of events as CSV rows, in the order of `event_ids`."""
    return b"".join(documents.csv_rows(session, event_ids))
