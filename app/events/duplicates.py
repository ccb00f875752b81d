"""Asking before a duplicate is made: events on the same day whose titles read alike."""

from __future__ import annotations

import datetime as dt
import re
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.events.models import Event

#: How alike two titles must be (0–1, difflib's ratio on lowercased words) to ask first.
SIMILAR_TITLE = 0.6

#: ...or how many of their words they share (Jaccard), whatever the order.
SHARED_WORDS = 0.5


def similar_events(session: Session, *, start_date: Any, title: str) -> list[Event]:
    """Live events on the same start date whose title reads much like this one."""
    if not isinstance(start_date, dt.date) or not title.strip():
        return []
    wanted = _words(title)
    candidates = session.scalars(
        select(Event).where(Event.start_date == start_date, Event.deleted_at.is_(None)).limit(200)
    )
    return [event for event in candidates if _alike(wanted, _words(event.title))]


def _words(title: str) -> list[str]:
    return re.findall(r"\w+", title.lower())


def _alike(a: list[str], b: list[str]) -> bool:
    """Alike in spelling (difflib) or in words shared ("talks in Abu Dhabi" ~ "Abu Dhabi talks")."""
    if SequenceMatcher(None, " ".join(a), " ".join(b)).ratio() >= SIMILAR_TITLE:
        return True
    shared, every = set(a) & set(b), set(a) | set(b)
    return bool(every) and len(shared) / len(every) >= SHARED_WORDS
