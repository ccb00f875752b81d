"""Event service: every change is a revision, stale writes are refused, deletes are tombstones."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.core.database import Database
from app.core.errors import EditConflict, EventGone, InvalidInput, UnknownReference
from app.events import listing, reading, revisions, service
from app.events.dates import awaiting_confirmation, date_label
from app.events.schemas import EventCreate, EventUpdate
from app.sources.models import Source
from tests.support.factory import Factory


def test_create_resolves_references_and_records_a_revision(
    database: Database, make: Factory
) -> None:
    person = make.actor(name="Ann Example")
    place = make.place(name="Geneva", timezone="Europe/Zurich")
    with database.session(write=True) as session:
        event = service.create(
            session,
            data=EventCreate(
                title="Talks in Geneva",
                kind="talks",
                start_date=dt.date(2026, 3, 2),
                place=place,
                participants=[{"actor": person, "role": "delegate"}],
                sources=[
                    {
                        "url": "https://example.org/a",
                        "publisher": "Example",
                        "quote": "We met.",
                        "speaker": person,
                    }
                ],
            ),
            author="alice",
            reason="first report",
        )
        read = reading.to_read(event)
    assert read.slug == "2026-03-02-talks-in-geneva"
    assert read.timezone == "Europe/Zurich"  # the place's, since none was given
    assert read.sources[0].speaker and read.sources[0].speaker.name == "Ann Example"
    with database.session() as session:
        [revision] = revisions.list_revisions(session, slug=read.slug)
    assert (revision.version, revision.action, revision.author, revision.reason) == (
        1,
        "create",
        "alice",
        "first report",
    )
    assert revision.snapshot["place"] == place


def test_unknown_references_are_named_by_field(database: Database) -> None:
    with pytest.raises(UnknownReference) as caught, database.session(write=True) as session:
        service.create(
            session,
            data=EventCreate(
                title="x",
                kind="call",
                start_date=dt.date(2026, 1, 1),
                participants=[{"actor": "nobody", "role": "party"}],
                place="nowhere",
            ),
            author="a",
        )
    locs = [e["loc"] for e in caught.value.errors]
    assert ["participants", 0, "actor"] in locs


def test_stale_version_is_refused_and_nothing_changes(database: Database, make: Factory) -> None:
    slug = make.event(title="Original")
    with database.session(write=True) as session:
        service.update(
            session, slug=slug, data=EventUpdate(title="First edit"), expected_version=1, author="a"
        )
    with pytest.raises(EditConflict), database.session(write=True) as session:
        service.update(
            session,
            slug=slug,
            data=EventUpdate(title="Second edit"),
            expected_version=1,
            author="b",
        )
    with database.session() as session:
        event = reading.get_by_slug(session, slug=slug)
        assert (event.title, event.version) == ("First edit", 2)


def test_patch_that_would_put_the_end_before_the_start_is_refused(
    database: Database, make: Factory
) -> None:
    slug = make.event(start_date=dt.date(2026, 5, 10))
    with pytest.raises(InvalidInput) as caught, database.session(write=True) as session:
        service.update(
            session,
            slug=slug,
            data=EventUpdate(end_date=dt.date(2026, 5, 1)),
            expected_version=None,
            author="a",
        )
    assert caught.value.errors[0]["loc"] == ["end_date"]


def test_delete_is_a_tombstone_and_restore_brings_it_back(
    database: Database, make: Factory
) -> None:
    slug = make.event(title="To be deleted")
    with database.session(write=True) as session:
        service.update(
            session, slug=slug, data=EventUpdate(title="Renamed"), expected_version=1, author="a"
        )
        service.delete(session, slug=slug, expected_version=2, author="a", reason="duplicate")
    with pytest.raises(EventGone) as gone, database.session() as session:
        reading.get_by_slug(session, slug=slug)
    assert gone.value.extra["event"]["title"] == "Renamed"
    with database.session() as session:
        assert slug not in {e.slug for e in listing.list_events(session).items}

    with database.session(write=True) as session:
        restored = service.restore(session, slug=slug, version=1, author="b")
        assert (restored.title, restored.deleted_at, restored.version) == ("To be deleted", None, 4)
    with database.session() as session:
        actions = [r.action for r in revisions.list_revisions(session, slug=slug)]
    assert actions == ["create", "update", "delete", "restore"]


def test_keyset_pages_visit_each_event_once_in_order(database: Database, make: Factory) -> None:
    for day in (5, 1, 3, 3, 2, 4, 1):
        make.event(start_date=dt.date(2026, 2, day))
    seen: list[str] = []
    cursor = None
    with database.session() as session:
        while True:
            page = listing.list_events(session, limit=3, cursor=cursor)
            seen.extend(e.slug for e in page.items)
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        everything = [e.slug for e in listing.list_events(session, limit=100).items]
    assert seen == everything and len(seen) == 7 == len(set(seen))


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"start_date": dt.date(2026, 1, 23), "end_date": dt.date(2026, 1, 24)}, "Jan 23–24, 2026"),
        ({"start_date": dt.date(2026, 1, 22), "date_approximate": True}, "around Jan 22, 2026"),
        (
            {"start_date": dt.date(2026, 1, 30), "end_date": dt.date(2026, 2, 2)},
            "Jan 30 – Feb 2, 2026",
        ),
        ({"start_date": dt.date(2026, 2, 1), "date_precision": "month"}, "Feb 2026"),
        ({"start_date": dt.date(2026, 1, 1), "date_precision": "year"}, "2026"),
    ],
)
def test_date_labels(fields: dict[str, object], label: str) -> None:
    values = {
        "end_date": None,
        "start_time": None,
        "date_precision": "day",
        "date_approximate": False,
        "status": "held",
        **fields,
    }
    assert date_label(type("E", (), values)()) == label  # type: ignore[arg-type]


def test_a_passed_plan_awaits_confirmation() -> None:
    values = {
        "start_date": dt.date(2026, 2, 1),
        "end_date": None,
        "date_precision": "day",
        "status": "tentative",
    }
    event = type("E", (), values)()
    assert awaiting_confirmation(event, today=dt.date(2026, 2, 2))  # type: ignore[arg-type]
    assert not awaiting_confirmation(event, today=dt.date(2026, 2, 1))  # type: ignore[arg-type]


def test_a_state_filter_finds_its_people_but_not_mere_mentions(seeded: Database) -> None:
    def slugs(actor: str) -> set[str]:
        with seeded.session() as session:
            page = listing.list_events(session, filters=listing.EventFilters(actors=[actor]))
            return {e.slug for e in page.items}

    russia = slugs("russia")
    assert "peskov-next-round-next-week-2026-01-26" in russia  # Peskov speaks for Russia
    assert "sybiha-interview-2026-01-27" not in russia  # Putin is only mentioned there
    assert "sybiha-interview-2026-01-27" in slugs("vladimir-putin")  # but he is named in it


def test_a_create_cites_new_repeated_and_known_sources_each_once(database: Database) -> None:
    """New sources are written and answered by one statement, the known ones read: the event
    cites each as given, and no source is written twice or rewritten."""

    def create(title: str, sources: list[dict[str, str]]) -> str:
        with database.session(write=True) as session:
            data = EventCreate(
                title=title, kind="statement", start_date=dt.date(2026, 3, 2), sources=sources
            )
            event = service.create(session, data=data, author="alice")
            return reading.to_read(event).model_dump_json()

    known = {"url": "https://example.org/known", "publisher": "Known", "title": "Kept"}
    create("Earlier", [known])
    answered = create(
        "Later",
        [
            {
                "url": "https://example.org/new-1",
                "publisher": "One",
                "title": "First",
                "published_on": "2026-03-02",
                "language": "en",
                "quote": "a",
            },
            {"url": known["url"], "publisher": "Not this one", "quote": "b"},
            {"url": "https://example.org/new-2", "publisher": "Two", "quote": "c"},
            {"url": "https://example.org/new-1", "publisher": "Nor this", "quote": "d"},
        ],
    )
    with database.session() as session:
        event = reading.get_by_slug(session, slug="2026-03-02-later")
        assert reading.to_read(event).model_dump_json() == answered
        cited = [(c.source.url, c.source.publisher, c.quote) for c in event.citations]
        stored = session.execute(
            select(
                Source.url, Source.publisher, Source.title, Source.published_on, Source.language
            ).order_by(Source.url)
        ).all()
    assert cited == [
        ("https://example.org/new-1", "One", "a"),
        ("https://example.org/known", "Known", "b"),
        ("https://example.org/new-2", "Two", "c"),
        ("https://example.org/new-1", "One", "d"),
    ]
    assert [tuple(row) for row in stored] == [
        ("https://example.org/known", "Known", "Kept", None, None),
        ("https://example.org/new-1", "One", "First", dt.date(2026, 3, 2), "en"),
        ("https://example.org/new-2", "Two", None, None, None),
    ]


def test_a_title_taken_in_the_same_transaction_leaves_no_stale_source(database: Database) -> None:
    """Three events of one title and day in one transaction, each citing a new source: the
    second and third first try the taken slug, and their first attempt's source is rolled back
    with it (on SQLite, its row's id is then given again). Each cites its own source, as a later
    read says."""
    answers = []
    with database.session(write=True) as session:
        for number in range(3):
            with session.begin_nested():  # as the writes of a group (app.core.group_commit)
                data = EventCreate(
                    title="Talks",
                    kind="talks",
                    start_date=dt.date(2026, 3, 2),
                    sources=[{"url": f"https://example.org/{number}", "publisher": "Example"}],
                )
                event = service.create(session, data=data, author="alice")
                answers.append(reading.to_read(event).model_dump_json())
    with database.session() as session:
        slugs = ["2026-03-02-talks", "2026-03-02-talks-2", "2026-03-02-talks-3"]
        again = [reading.to_read(reading.get_by_slug(session, slug=slug)) for slug in slugs]
    assert answers == [read.model_dump_json() for read in again]
    assert [read.sources[0].url for read in again] == [f"https://example.org/{n}" for n in range(3)]
