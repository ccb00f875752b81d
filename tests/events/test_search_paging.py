"""Search pages in date order: walking with cursors gives every matching event exactly once,
in order, whether a page comes from the date walk or from the full-text index."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from app.core.database import Database
from app.events import listing, search, service
from app.events.listing import EventFilters, Order
from app.events.models import Event
from app.events.schemas import EventUpdate
from tests.support.factory import Factory

KINDS = ("talks", "call", "meeting")


def _words_of(number: int) -> list[str]:
    """The search words event `number` of the timeline carries."""
    words = []
    if number % 5 != 0:
        words.append("ceasefire")  # frequent: 4 in 5, with gaps
    if number % 7 == 0:
        words.append("memorandum")  # every 7th
    if number in (3, 29, 30, 47):
        words.append("zaporizhzhia")  # rare, clustered and far apart
    return words


@pytest.fixture
def timeline(database: Database, make: Factory) -> list[str]:
    """48 events, two a day (so starts_at ties, broken by id), some kinds, one tombstone."""
    slugs = []
    for n in range(48):
        slugs.append(
            make.event(
                title=" ".join(["Event", str(n), *_words_of(n)]),
                kind=KINDS[n % 3],
                start_date=dt.date(2026, 1, 1) + dt.timedelta(days=n // 2),
            )
        )
    with database.session(write=True) as session:
        service.delete(session, slug=slugs[14], expected_version=None, author="test")
    return slugs


def _expected(database: Database, filters: EventFilters, order: Order) -> list[str]:
    """Brute force: every live event, matched word by word in Python, sorted by its key."""
    terms = [t.lower() for t in re.findall(r"\w+", filters.q or "")]
    with database.session() as session:
        events = session.scalars(select(Event).where(Event.deleted_at.is_(None))).all()
        rows = [(e.starts_at, e.id, e.slug, e.kind, e.start_date, e.search_text) for e in events]
    wanted = []
    for starts_at, event_id, slug, kind, start_date, text in rows:
        words = text.lower().split()
        if not all(any(w.startswith(t) for w in words) for t in terms):
            continue
        if filters.kinds and kind not in filters.kinds:
            continue
        if filters.from_date and start_date < filters.from_date:
            continue
        if filters.to_date and start_date > filters.to_date:
            continue
        wanted.append(((starts_at, event_id), slug))
    wanted.sort(reverse=order == "desc")
    return [slug for _, slug in wanted]


def _walk(
    database: Database, filters: EventFilters, order: Order, limit: int, batch: int | None
) -> list[str]:
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        with database.session() as session:
            page = listing.list_events(
                session,
                filters=filters,
                order=order,
                limit=limit,
                cursor=cursor,
                search_batch=batch,
            )
            seen += [event.slug for event in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the walk did not end")


SEARCHES = [
    EventFilters(q="ceasefire"),
    EventFilters(q="memorandum"),
    EventFilters(q="zaporizhzhia"),
    EventFilters(q="ceasefire memorandum"),
    EventFilters(q="nothingmatchesthis"),
    EventFilters(q="ceasefire", kinds=["talks"]),
    EventFilters(q="ceasefire", from_date=dt.date(2026, 1, 5), to_date=dt.date(2026, 1, 16)),
    EventFilters(q="zaporizhzhia", kinds=["talks", "meeting"], from_date=dt.date(2026, 1, 3)),
    # A value chosen and dates: the cursor's day and the dates bound the keys read together.
    EventFilters(
        q="ceasefire", kinds=["talks"], from_date=dt.date(2026, 1, 5), to_date=dt.date(2026, 2, 20)
    ),
]


@pytest.mark.parametrize("filters", SEARCHES, ids=lambda f: f"{f.q}-{len(f.kinds)}-{f.from_date}")
def test_every_match_once_in_order_whatever_the_batch(
    database: Database, timeline: list[str], filters: EventFilters
) -> None:
    for order in ("asc", "desc"):
        expected = _expected(database, filters, order)
        # 0: the plain query; 1 and 5: many batches, most pages partly from the index;
        # 200: one batch holds every event; None: the database's default.
        for batch in (0, 1, 5, 200, None):
            for limit in (1, 3, 50):
                got = _walk(database, filters, order, limit, batch)
                assert got == expected, (order, batch, limit)


def test_the_expectation_is_not_empty_nor_everything(
    database: Database, timeline: list[str]
) -> None:
    counts = {f.q: len(_expected(database, f, "asc")) for f in SEARCHES[:5]}
    # Event 14 (ceasefire, memorandum) is a tombstone: 48 - 10 multiples of 5 - 1.
    assert counts == {
        "ceasefire": 37,
        "memorandum": 6,
        "zaporizhzhia": 4,
        "ceasefire memorandum": 4,
        "nothingmatchesthis": 0,
    }


@pytest.mark.parametrize(
    ("q", "order", "walks", "index"),
    [
        # 1 in 2 events: the first step of 5 fills a page of 3.
        ("ceasefire", "asc", 1, 0),
        # 1 in 7: the first step finds 1, promising enough to walk the rest of the batch,
        # which fills the page.
        ("memorandum", "asc", 2, 0),
        # Nothing in the first step: the full-text index answers the rest.
        ("nothingmatchesthis", "asc", 1, 1),
        # 1 in the first step, 2 in the rest of the batch: the index gives the last one.
        ("zaporizhzhia", "desc", 2, 1),
    ],
)
def test_the_walk_and_the_index_share_a_page(
    database: Database, timeline: list[str], q: str, order: Order, walks: int, index: int
) -> None:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    filters = EventFilters(q=q)
    sa_event.listen(database.engine, "before_cursor_execute", record)
    try:
        with database.session() as session:
            page = listing.list_events(
                session, filters=filters, order=order, limit=3, search_batch=40
            )
            got = [event.slug for event in page.items]
    finally:
        sa_event.remove(database.engine, "before_cursor_execute", record)
    keys = [s for s in statements if "search_walk" in s or "FROM event \nWHERE" in s]
    assert sum("search_walk" in s for s in keys) == walks
    assert len(keys) - walks == index
    assert got == _expected(database, filters, order)[:3]


def test_the_api_pages_a_search_through_the_walk(
    client: Any, database: Database, timeline: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "date_walk_batch", lambda dialect: 5)
    for q, order in [("ceasefire", "desc"), ("zaporizhzhia", "asc"), ("memorandum", "desc")]:
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"q": q, "order": order, "limit": 4}
            if cursor:
                params["cursor"] = cursor
            response = client.get("/api/v1/events", params=params)
            assert response.status_code == 200, response.text
            seen += [item["slug"] for item in response.json()["items"]]
            cursor = response.json()["next_cursor"]
            if not cursor:
                break
        assert seen == _expected(database, EventFilters(q=q), order)


def test_a_day_whose_events_were_written_out_of_order_pages_by_time(
    database: Database, make: Factory
) -> None:
    # The full-text index hands out a day's matches by id; the list goes by time within the
    # day. Events written evening first, pages that end inside a day, and an event moved to
    # another day (and out of the words, and back) must still walk in order, each once.
    slugs = []
    for day in range(4):
        for hour in (21, 18, 9, 12, 6):
            slugs.append(
                make.event(
                    title=f"Ceasefire round {day}-{hour}",
                    start_date=dt.date(2026, 3, 1) + dt.timedelta(days=day),
                    start_time=dt.time(hour, 0),
                    timezone="UTC",
                )
            )
    make.event(title="An unrelated call", start_date=dt.date(2026, 3, 2))
    with database.session(write=True) as session:
        moved = EventUpdate(start_date=dt.date(2026, 2, 27), start_time=dt.time(23, 0))
        service.update(session, slug=slugs[7], data=moved, expected_version=None, author="test")
        away = EventUpdate(title="Renamed round")
        service.update(session, slug=slugs[12], data=away, expected_version=None, author="test")
        back = EventUpdate(title="Ceasefire again")
        service.update(session, slug=slugs[12], data=back, expected_version=None, author="test")
    filters = EventFilters(q="ceasefire")
    for order in ("asc", "desc"):
        expected = _expected(database, filters, order)
        assert len(expected) == 20
        for limit in (1, 2, 3, 4, 6, 7, 50):
            assert _walk(database, filters, order, limit, None) == expected, (order, limit)
    # The moved event comes first, before every event of its old day.
    assert _expected(database, filters, "asc")[0] == slugs[7]
