"""Suggestions: taking them in (rate-limited), accepting and rejecting (nothing deleted)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.database import Database
from app.core.errors import Conflict, InvalidInput
from app.events import reading
from app.suggestions import service
from app.suggestions.schemas import SuggestionCreate
from tests.support.factory import Factory


def _data(n: int = 1) -> SuggestionCreate:
    return SuggestionCreate(
        title=f"Talks resume {n}",
        start_date=dt.date(2026, 2, 4),
        place_name="Abu Dhabi",
        source_url="https://example.org/report",
    )


def test_a_visitor_is_limited_per_hour(database: Database) -> None:
    with database.session(write=True) as session:
        for n in range(service.MAX_PER_WINDOW):
            service.create(session, data=_data(n), submitter_key="visitor")
        with pytest.raises(service.TooManySuggestions):
            service.create(session, data=_data(99), submitter_key="visitor")
        service.create(session, data=_data(100), submitter_key="someone-else")


def test_accept_links_the_event_and_reject_keeps_the_suggestion(
    database: Database, make: Factory
) -> None:
    slug = make.event(title="Talks resume")
    with database.session(write=True) as session:
        first = service.create(session, data=_data(1), submitter_key="v")
        second = service.create(session, data=_data(2), submitter_key="v")
        event = reading.get_by_slug(session, slug=slug)
        service.accept(session, id=first.id, event_id=event.id, reviewer="editor")
        with pytest.raises(InvalidInput):
            service.reject(session, id=second.id, reason="  ", reviewer="editor")
        service.reject(session, id=second.id, reason="no such report", reviewer="editor")
        with pytest.raises(Conflict):
            service.reject(session, id=first.id, reason="late", reviewer="other")
    with database.session() as session:
        assert [s.title for s in service.get_all(session, status="pending")] == []
        accepted = service.get_all(session, status="accepted")
        rejected = service.get_all(session, status="rejected")
    assert accepted[0].event_id is not None and accepted[0].reviewed_by == "editor"
    assert rejected[0].review_reason == "no such report"
