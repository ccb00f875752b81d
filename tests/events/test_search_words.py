"""A search's words spelled out as the words of the index they begin (`search.expand`, SQLite):
the same events as each word matched as a prefix, whatever the words, and never stale."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.database import Database
from app.events import listing, search, service
from app.events.models import Event
from app.events.schemas import EventCreate
from tests.support.factory import Factory

TITLES = (
    "Talks in Geneva",
    "Talked through the night",
    "Talking points on the ceasefire",
    "A talkative envoy",
    "Tallinn meeting",
    "Genève: a ceasefire proposal",
    "Ceasefires compared",
    "Talks 2026 round 3",
)
SEARCHES = (
    "talk",
    "talks",
    "tal",
    "cease",
    "ceasefire",
    "gen",
    "genev",
    "genève",
    "talk cease",
    "talks geneva",
    "2026",
    "t",
    "ta",
    "zebra",
    "talk zebra",
)


def _slugs(session: Session, terms: list[str]) -> set[str]:
    matching = search.match(Event.id, Event.search_text, terms)
    return set(session.scalars(select(Event.slug).where(matching)))


def _spelled(session: Session, q: str) -> list[str]:
    return search.expand(session, search.words(q))


@pytest.fixture
def titled(database: Database, make: Factory) -> list[str]:
    return [make.event(title=title) for title in TITLES]


def test_spelled_out_words_find_what_their_prefixes_find(
    database: Database, titled: list[str]
) -> None:
    sqlite = database.is_sqlite
    with database.session() as session:
        for q in SEARCHES:
            plain = search.words(q)
            spelled = _spelled(session, q)
            assert list(spelled) == plain, q
            found = _slugs(session, spelled)
            assert found == _slugs(session, plain), q
            if sqlite:  # as many as the index counts (no event here is soft-deleted)
                assert search.most_matches(session.connection(), spelled) == len(found), q
        if sqlite:
            # A frequent word is read from its own lists: no prefix left for FTS5 to merge.
            talk = _spelled(session, "talk")
            assert isinstance(talk, search.Expanded)
            assert "*" not in talk.fts and talk.fts.count(" OR ") == 3
            assert search.most_matches(session.connection(), talk) == 5
            assert search.most_matches(session.connection(), _spelled(session, "zebra")) == 0
            # Short words keep the prefix lists the index keeps for them.
            assert _spelled(session, "ta").fts == search.in_words('"ta"*')  # type: ignore[attr-defined]
        else:
            assert not isinstance(_spelled(session, "talk"), search.Expanded)


def test_words_beginning_too_many_words_stay_prefixes(
    database: Database, titled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "MOST_SPELLED", 2)
    with database.session() as session:
        for q in SEARCHES:
            assert _slugs(session, _spelled(session, q)) == _slugs(session, search.words(q)), q
        if database.is_sqlite:
            talk = _spelled(session, "talk")
            assert talk.fts == search.in_words('"talk"*')  # type: ignore[attr-defined]
            assert search.most_matches(session.connection(), talk) == 5


def test_a_word_written_in_the_same_session_is_found_at_once(
    database: Database, titled: list[str]
) -> None:
    with database.session(write=True) as session:
        assert _slugs(session, _spelled(session, "talk")) == set(titled[:4] + titled[-1:])
        if database.is_sqlite:  # the full-text index's own keys: SQLite's
            assert search.most_matches(session.connection(), _spelled(session, "zebr")) == 0
        created = service.create(
            session,
            data=EventCreate(
                title="Zebra crossing talkshow",
                kind="statement",
                start_date=dt.date(2026, 2, 1),
                sources=[{"url": "https://example.org/zebra", "publisher": "Wire"}],
            ),
            author="test",
        )
        session.flush()
        assert created.slug in _slugs(session, _spelled(session, "talk"))
        assert created.slug in _slugs(session, _spelled(session, "zebr"))
        if database.is_sqlite:
            assert search.most_matches(session.connection(), _spelled(session, "zebr")) == 1


def test_each_session_reads_the_words_the_index_holds(
    database: Database, titled: list[str], make: Factory
) -> None:
    with database.session() as session:
        assert _slugs(session, _spelled(session, "quokka")) == set()
    later = make.event(title="A quokka sighting")
    with database.session() as session:
        assert _slugs(session, _spelled(session, "quok")) == {later}
        total = session.scalar(select(func.count()).select_from(Event))
        assert total == len(TITLES) + 1


def test_a_plans_count_of_matches_is_kept_a_while_and_never_changes_what_is_found(
    database: Database, titled: list[str], make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not database.is_sqlite:
        pytest.skip("the full-text index's own counts: SQLite's")
    filters = listing.EventFilters(q="talk", kinds=("talks",))
    with database.session() as session:
        assert search.planned_matches(session.connection(), _spelled(session, "talk")) == 5
    more = [make.event(title=f"Talks resumed, round {n}", kind="talks") for n in range(3)]
    with database.session() as session:
        talk = _spelled(session, "talk")
        # Another session plans with the count made a moment ago, and counts afresh when
        # asked for the exact number...
        assert search.planned_matches(session.connection(), talk) == 5
        assert search.most_matches(session.connection(), talk) == 8
        # ...and the plan finds every match, the new ones too.
        ids, _cursor = listing.page_ids(session, filters=filters, limit=50)
        found = set(session.scalars(select(Event.slug).where(Event.id.in_(ids))))
        assert set(more) <= found
        assert found == set(
            session.scalars(listing.filtered(filters).with_only_columns(Event.slug))
        )
    monkeypatch.setattr(search, "PLANNED_SECONDS", 0.0)
    with database.session() as session:
        assert search.planned_matches(session.connection(), _spelled(session, "talk")) == 8
