"""The event reads answered from stored documents are byte for byte the answers the ORM and
the schemas build (tests/support/reference.py): whole cursor walks, searches, filters and
single events, also after the records they show are renamed and a linked event changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

from app.actors import service as actor_service
from app.actors.schemas import ActorUpdate
from app.core.database import Database
from app.core.settings import Settings
from app.events import choices, documents, listing, service
from app.events.models import Event, EventDocument
from app.events.schemas import EventUpdate
from app.places import service as place_service
from app.places.schemas import PlaceUpdate
from app.series import service as series_service
from app.series.schemas import SeriesUpdate
from app.sources import service as source_service
from app.sources.models import Source
from app.sources.schemas import SourceUpdate
from app.tags import service as tag_service
from app.tags.schemas import TagUpdate
from tests.support import reference

TODAY = dt.datetime.now(dt.UTC).date()

QUERIES: list[dict[str, Any]] = [
    {},
    {"order": "desc"},
    {"q": "ceasefire"},
    {"q": "kiev"},
    {"q": "ceasefire", "order": "relevance"},
    {"actor": ["russia"]},
    {"actor": ["russia"], "kind": ["talks"], "from": "2026-01-05", "to": "2026-03-01"},
    {"place": ["abu-dhabi"], "tag": ["energy"]},
    {"series": ["trilateral-talks"], "status": ["held", "scheduled"]},
    {"include_deleted": "true"},
    {"updated_since": "2000-01-01T00:00:00Z"},
    # Words with other filters: on SQLite read from the full-text index in date order, the
    # chosen values' terms asked for beside the words (`rare_share` below).
    {"q": "ceasefire", "kind": ["talks"]},
    {"q": "kiev", "kind": ["talks", "statement"]},
    {"q": "round", "status": ["held"], "order": "desc"},
    {"q": "round", "actor": ["ukraine"], "order": "desc"},
    {"q": "round", "actor": ["ukraine", "russia"], "place": ["abu-dhabi"], "kind": ["talks"]},
    {"actor": ["russia"], "tag": ["ceasefire", "energy"], "order": "desc"},
    {"q": "progress", "from": "2026-01-20", "to": "2026-02-20"},
    # Deleted events too: read from the index, or a chosen kind's, status's, place's or
    # series's events walked (`walk_costs` below).
    {"q": "talks", "tag": ["ceasefire"], "include_deleted": "true"},
    {"q": "kiev", "kind": ["talks", "statement"], "include_deleted": "true"},
    # A deleted event has no choice rows (`event_facet` holds live events only).
    {"q": "retracted", "kind": ["statement"], "include_deleted": "true"},
]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Every answer built: with the answer cache off."""
    return settings.model_copy(update={"response_cache_mb": 0})


@pytest.fixture
def timeline(make: Any) -> list[str]:
    """Events embedding everything an answer can: place, series, people and their sides,
    sources with quotes and speakers, tags, links both ways; plans past and future; a
    tombstone."""
    russia = make.actor(name="Russia", kind="state")
    ukraine = make.actor(name="Ukraine", kind="state")
    peskov = make.actor(name="Dmitry Peskov", affiliation=russia, title="Spokesperson")
    places = [
        make.place(name="Abu Dhabi", country="UAE", latitude=24.4539, longitude=54.3773),
        make.place(name="Kyiv", aliases=["Kiev"], timezone="Europe/Kyiv"),
    ]
    series = make.series(title="Trilateral talks")
    tags = [make.tag(name="Ceasefire"), make.tag(name="Energy")]
    slugs: list[str] = []
    for n in range(9):
        slugs.append(
            make.event(
                title=f"Talks round {n + 1} on the ceasefire" if n % 2 else f"Meeting {n}",
                summary="Delegations met; “progress”, said Peskov.",
                kind="talks" if n % 3 else "statement",
                start_date=dt.date(2026, 1, 3) + dt.timedelta(days=7 * n),
                end_date=dt.date(2026, 1, 4) + dt.timedelta(days=7 * n) if n % 4 == 1 else None,
                place=places[n % 2],
                series=series if n % 2 else None,
                round=n if n % 2 else None,
                participants=[
                    {"actor": russia, "role": "party"},
                    {"actor": ukraine if n % 2 else peskov, "role": "speaker"},
                ],
                sources=[
                    {
                        "url": f"https://news.example/{n}",
                        "publisher": "Example News",
                        "quote": "There is a lot of progress.",
                        "speaker": peskov,
                    }
                ],
                tags=[tags[n % 2]],
                links=[{"kind": "follows_up", "event": slugs[-1]}] if slugs else [],
            )
        )
    # Plans: one whose date has passed (awaiting confirmation), one still to come.
    slugs.append(
        make.event(
            title="Planned round",
            status="scheduled",
            start_date=TODAY - dt.timedelta(days=3),
            links=[{"kind": "announces", "event": slugs[2]}],
        )
    )
    slugs.append(
        make.event(
            title="Next round",
            status="tentative",
            start_date=TODAY + dt.timedelta(days=30),
            place=places[0],
        )
    )
    gone = make.event(title="Retracted statement", kind="statement")
    with make.database.session(write=True) as session:
        service.delete(session, slug=gone, expected_version=None, author="test")
    return [*slugs, gone]


def _walk(client: Any, database: Database, params: dict[str, Any]) -> int:
    """Follow the cursor through every page (3 events each), comparing each answer's bytes
    with the reference's, and the events of the whole walk with the plain query's (in date
    order); returns how many events were seen."""
    first = params
    params = {**params, "limit": 3}
    seen = 0
    walked: list[str] = []
    while True:
        answer = client.get("/api/v1/events", params=params)
        assert answer.status_code == 200, answer.text
        with database.session() as session:
            expected = reference.page(session, params)
        assert answer.content == expected, params
        assert answer.headers["content-type"] == "application/json"
        body = answer.json()
        seen += len(body["items"])
        walked += [item["slug"] for item in body["items"]]
        if body["next_cursor"] is None:
            assert "link" not in answer.headers
            if first.get("order") != "relevance":
                with database.session() as session:
                    assert walked == reference.slugs(session, first), first
            return seen
        assert answer.headers["link"].endswith('>; rel="next"')
        params = {**params, "cursor": body["next_cursor"]}


def _every_answer_matches(client: Any, database: Database, slugs: list[str]) -> None:
    for params in QUERIES:
        _walk(client, database, params)
    for slug in slugs:
        answer = client.get(f"/api/v1/events/{slug}")
        with database.session() as session:
            if answer.status_code == 410:
                assert answer.json()["event"] == reference.tombstone(session, slug)
                continue
            assert answer.status_code == 200
            assert answer.content == reference.event(session, slug)
            version = session.scalar(select(Event.version).where(Event.slug == slug))
        assert answer.headers["etag"] == f'"{slug}-v{version}"'
        again = client.get(
            f"/api/v1/events/{slug}", headers={"If-None-Match": answer.headers["etag"]}
        )
        assert again.status_code == 304 and again.headers["etag"] == answer.headers["etag"]


@pytest.mark.parametrize(
    ("walk_costs", "rare_share"),
    [
        ((50, 0, 8), 0),
        ((50, 0, 8), 10**9),
        ((50, 10**9, 0), None),
        (listing._WALK_COSTS, None),
    ],
)
def test_every_read_is_the_reference_answer(
    client: Any,
    database: Database,
    timeline: list[str],
    monkeypatch: pytest.MonkeyPatch,
    walk_costs: tuple[int, int, int],
    rare_share: int | None,
) -> None:
    # The full-text index asked for the terms of the rarest facet's values beside the
    # words, and for those of the other facets always, never, or where rare (None: as
    # served). With deleted events asked for (which have no terms), a search read from the
    # index, walked along a chosen kind's, status's, place's or series's events, or
    # whichever costs less.
    monkeypatch.setattr(listing, "_WALK_COSTS", walk_costs)
    if rare_share is not None:
        monkeypatch.setattr(choices, "RARE_SHARE", dict.fromkeys(choices.RARE_SHARE, rare_share))
    assert _walk(client, database, {}) == len(timeline) - 1
    assert _walk(client, database, {"include_deleted": "true"}) == len(timeline)
    assert _walk(client, database, {"q": "kiev"}) == 4
    _every_answer_matches(client, database, timeline)
    planned = client.get(f"/api/v1/events/{timeline[-3]}").json()
    assert planned["display_status"] == "awaiting confirmation"
    assert planned["awaiting_confirmation"] is True
    assert client.get(f"/api/v1/events/{timeline[-2]}").json()["display_status"] == "tentative"
    assert client.get("/api/v1/events/no-such-event").status_code == 404


def test_answers_follow_renames_and_linked_events(
    client: Any, database: Database, timeline: list[str]
) -> None:
    with database.session(write=True) as session:
        place_service.update(session, slug="kyiv", data=PlaceUpdate(name="Kyïv", country="Ukraine"))
        actor_service.update(session, slug="russia", data=ActorUpdate(name="Russian Federation"))
        actor_service.update(
            session, slug="dmitry-peskov", data=ActorUpdate(title="Press secretary")
        )
        series_service.update(
            session, slug="trilateral-talks", data=SeriesUpdate(title="Three-way talks")
        )
        tag_service.update(session, slug="energy", data=TagUpdate(name="Energy grid"))
        source = session.scalar(select(Source).where(Source.url == "https://news.example/4"))
        assert source is not None
        source_service.update(session, source_id=source.id, data=SourceUpdate(publisher="Wire"))
    _every_answer_matches(client, database, timeline)
    page = client.get("/api/v1/events", params={"limit": 1}).json()["items"][0]
    assert page["participants"][0]["actor"]["name"] == "Russian Federation"
    # A person's side is shown by name: renaming the side re-renders the person's events.
    speaker = page["sources"][0]["speaker"]
    assert speaker["affiliation"]["name"] == "Russian Federation"
    assert speaker["title"] == "Press secretary"

    # An event others link to is retitled, then deleted: they show the new title, then
    # no longer show it.
    linked = timeline[2]
    with database.session(write=True) as session:
        service.update(
            session,
            slug=linked,
            data=EventUpdate(title="Retitled round"),
            expected_version=None,
            author="test",
        )
    linked_from = client.get(f"/api/v1/events/{timeline[3]}").json()["links"]
    assert linked_from[0]["event"]["title"] == "Retitled round"
    _every_answer_matches(client, database, timeline)
    with database.session(write=True) as session:
        service.delete(session, slug=linked, expected_version=None, author="test")
    assert client.get(f"/api/v1/events/{timeline[3]}").json()["links"] == []
    _every_answer_matches(client, database, timeline)


def test_a_missing_or_outdated_document_is_built_never_served_wrong(
    client: Any, database: Database, timeline: list[str]
) -> None:
    with database.session(write=True) as session:
        session.execute(delete(EventDocument).where(EventDocument.event_id % 2 == 0))
        session.execute(update(EventDocument).values(shape="older", body=b"{}"))
    _every_answer_matches(client, database, timeline)
    with database.session(write=True) as session:
        assert documents.fill(session) == len(timeline)
    with database.session(write=True) as session:
        assert documents.fill(session) == 0
        kept = session.scalar(select(func.count()).select_from(EventDocument))
    assert kept == len(timeline)
    _every_answer_matches(client, database, timeline)


def test_a_plan_reads_as_awaiting_confirmation_from_the_day_after(
    database: Database, timeline: list[str]
) -> None:
    with database.session() as session:
        row = session.execute(
            select(Event.id, Event.start_date).where(Event.slug == timeline[-2])
        ).one()
        for today in (row.start_date, row.start_date + dt.timedelta(days=1)):
            (answer,) = documents.answers(session, [row.id], today)
            assert answer == reference.event(session, timeline[-2], today)
        assert b'"awaiting_confirmation":true' in answer
