"""Suggestions: take them from visitors (rate-limited), list them, accept or reject them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.base import utcnow
from app.core.errors import Conflict, DomainError, InvalidInput, NotFound
from app.suggestions.models import Suggestion
from app.suggestions.schemas import SuggestionCreate

#: A visitor (by address) may send this many suggestions...
MAX_PER_WINDOW = 5
#: ...in this long.
WINDOW = dt.timedelta(hours=1)


class TooManySuggestions(DomainError):
    status = 429
    title = "Too many requests"


def create(session: Session, *, data: SuggestionCreate, submitter_key: str) -> Suggestion:
    since = utcnow() - WINDOW
    recent = session.scalar(
        select(func.count())
        .select_from(Suggestion)
        .where(Suggestion.submitter_key == submitter_key, Suggestion.submitted_at >= since)
    )
    if (recent or 0) >= MAX_PER_WINDOW:
        raise TooManySuggestions(
            f"Thank you, but that is {MAX_PER_WINDOW} suggestions within the hour from here. "
            "Please wait a while before sending another.",
            extra={"retry_after": int(WINDOW.total_seconds())},
        )
    suggestion = Suggestion(**data.model_dump(), submitter_key=submitter_key)
    session.add(suggestion)
    session.flush()
    return suggestion


def get(session: Session, *, id: int) -> Suggestion:
    suggestion = session.get(Suggestion, id)
    if suggestion is None:
        raise NotFound(f"there is no suggestion {id}")
    return suggestion


def get_all(
    session: Session, *, status: str | None = "pending", limit: int = 200
) -> Sequence[Suggestion]:
    query = select(Suggestion).order_by(Suggestion.submitted_at.desc(), Suggestion.id.desc())
    if status:
        query = query.where(Suggestion.status == status)
    return session.scalars(query.limit(limit)).all()


def _pending(session: Session, id: int) -> Suggestion:
    suggestion = get(session, id=id)
    if suggestion.status != "pending":
        raise Conflict(
            f"this suggestion was already {suggestion.status} by {suggestion.reviewed_by}"
        )
    return suggestion


def accept(session: Session, *, id: int, event_id: int, reviewer: str) -> Suggestion:
    """The suggestion became the event `event_id` (published through the full form)."""
    suggestion = _pending(session, id)
    suggestion.status = "accepted"
    suggestion.event_id = event_id
    suggestion.reviewed_by = reviewer
    suggestion.reviewed_at = utcnow()
    session.flush()
    return suggestion


def reject(session: Session, *, id: int, reason: str, reviewer: str) -> Suggestion:
    """Turned down, with a reason; the suggestion is kept."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput.field(["reason"], "say why, so the next editor knows")
    suggestion = _pending(session, id)
    suggestion.status = "rejected"
    suggestion.review_reason = reason[:1000]
    suggestion.reviewed_by = reviewer
    suggestion.reviewed_at = utcnow()
    session.flush()
    return suggestion
