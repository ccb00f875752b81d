"""The timeline's counts per filter choice, read from `event_facet`, are those a plain count
over the loaded events gives: on the seed, for every filter, and after each kind of write
that moves them (a new event, an edit of its place, series, tags and participants, an
actor's new side, a deletion and its restore, a bulk load without its rows)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from html import unescape as html_unescape
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.actors import service as actor_service
from app.actors.models import Actor
from app.actors.schemas import ActorUpdate
from app.core.database import Database
from app.events import choices, documents, facet_rows, listing, service, tallies
from app.events.models import Event, EventDocument, EventFacet
from app.events.reading import load_options
from app.events.schemas import EventCreate, EventUpdate
from app.places.models import Place
from app.series.models import Series
from app.tags.models import Tag
from app.timeline import facets as facets_module
from app.timeline import service as timeline_service
from app.timeline.facets import facets

RECORD_FACETS = {"place": "places", "series": "series", "tag": "tags", "actor": "actors"}

FILTERS = [
    listing.EventFilters(),
    listing.EventFilters(kinds=("talks",)),
    listing.EventFilters(actors=("russia",)),
    listing.EventFilters(actors=("russia",), tags=("territories",), q="talks"),
    # A search alone, a broad word with a kind, a word with a status: each found its own way.
    listing.EventFilters(q="abu"),
    listing.EventFilters(q="s", kinds=("statement",)),
    listing.EventFilters(q="round", statuses=("held", "tentative")),
    listing.EventFilters(from_date=dt.date(2026, 1, 25), statuses=("held", "tentative")),
    listing.EventFilters(places=("abu-dhabi",), series=("abu-dhabi-trilateral-talks",)),
    # Choices alone, led by the rarest one's rows when it is rare enough.
    listing.EventFilters(tags=("territories",), statuses=("held",)),
    listing.EventFilters(kinds=("talks", "statement"), actors=("ukraine", "russia")),
    listing.EventFilters(q="talks", tags=("territories",), kinds=("talks",)),
    listing.EventFilters(q="russia", actors=("ukraine",)),
    # Several values chosen, one per facet: the full-text index asked for the terms of the
    # rare ones (with a broad word, and without words), or, without words or dates, the
    # rarest one's rows leading.
    listing.EventFilters(q="s", kinds=("statement",), statuses=("held",), tags=("territories",)),
    listing.EventFilters(kinds=("statement",), statuses=("held",), tags=("territories",)),
    listing.EventFilters(q="russia", actors=("ukraine",), places=("abu-dhabi",), kinds=("talks",)),
    # Two sides asked of the index as one term or another (with words and without), a
    # frequent kind checked on each event it hands out or asked for too.
    listing.EventFilters(q="s", kinds=("statement",), actors=("kremlin", "steve-witkoff")),
    listing.EventFilters(
        from_date=dt.date(2026, 1, 2), kinds=("statement",), actors=("kremlin", "steve-witkoff")
    ),
    # Several values of a facet asked of the index as one term or another: alone with a
    # date, with words and a value of another facet, with a slug that names nothing.
    listing.EventFilters(places=("abu-dhabi", "davos"), from_date=dt.date(2026, 1, 2)),
    listing.EventFilters(q="s", tags=("territories", "20-point-plan"), statuses=("held",)),
    listing.EventFilters(actors=("kremlin", "nobody"), places=("moscow", "kyiv", "davos")),
    # A slug that names nothing, with a date, words or another value: nothing matches.
    listing.EventFilters(tags=("no-such-tag",), to_date=dt.date(2026, 2, 1)),
    listing.EventFilters(q="talks", actors=("nobody", "russia"), tags=("no-such-tag",)),
    listing.EventFilters(kinds=("talks",), places=("nowhere",)),
    # Dates with a search: the full-text index read over the range of keys of those days.
    listing.EventFilters(from_date=dt.date(2026, 1, 25), q="s", actors=("russia",)),
    listing.EventFilters(to_date=dt.date(2026, 2, 1), q="talks"),
    listing.EventFilters(from_date=dt.date(2026, 1, 25), tags=("territories",), actors=("russia",)),
    listing.EventFilters(
        from_date=dt.date(2026, 1, 20), to_date=dt.date(2026, 2, 5), q="abu", kinds=("talks",)
    ),
]


def _counted_for(event: Event) -> dict[str, set[str]]:
    """What one event counts for, read off the loaded event as a reader would say it."""
    sides = {p.actor.slug for p in event.participations}
    sides |= {
        p.actor.affiliation.slug
        for p in event.participations
        if p.actor.affiliation is not None and p.role != "mentioned"
    }
    return {
        "place": {event.place.slug} if event.place else set(),
        "series": {event.series.slug} if event.series else set(),
        "tag": {tag.slug for tag in event.tags},
        "actor": sides,
    }


def reference(session: Session, filters: listing.EventFilters) -> dict[str, dict[str, int]]:
    """Each record choice's count: the events matching every other filter, loaded whole,
    counted in Python."""
    counts: dict[str, dict[str, int]] = {}
    for facet, name in RECORD_FACETS.items():
        emptied: dict[str, Any] = {name: ()}
        others = dataclasses.replace(filters, **emptied)
        events = session.scalars(listing.filtered(others).options(*load_options())).unique()
        counted: Counter[str] = Counter()
        for event in events:
            counted.update(_counted_for(event)[facet])
        counts[facet] = dict(counted)
    return counts


def shown(session: Session, filters: listing.EventFilters) -> dict[str, dict[str, int]]:
    """The record choices' counts as the timeline shows them (a chosen slug that matches
    nothing is listed with 0 so it can be unchosen; the reference has no such row)."""
    counted = facets(session, filters)
    return {facet: {c.value: c.count for c in counted[facet] if c.count} for facet in RECORD_FACETS}


def plain_tallies(session: Session) -> dict[str, dict[str, int]]:
    """Every live event's kind, status and records, counted in Python."""
    counted: dict[str, Counter[str]] = {facet: Counter() for facet in ("kind", "status")}
    for event in session.scalars(
        listing.filtered(listing.EventFilters()).options(*load_options())
    ).unique():
        counted["kind"][event.kind] += 1
        counted["status"][event.status] += 1
        for facet, values in _counted_for(event).items():
            counted.setdefault(facet, Counter()).update(values)
    return {facet: dict(counts) for facet, counts in counted.items() if counts}


def kept_tallies(session: Session) -> dict[str, dict[str, int]]:
    """The tallies as kept (`event_tally`), by name and slug."""
    models: dict[str, Any] = {"place": Place, "series": Series, "tag": Tag, "actor": Actor}
    named: dict[str, dict[str, int]] = {}
    for facet, counts in tallies.read(session).items():
        if facet in facet_rows.NAMED:
            names = facet_rows.NAMED[facet]
        else:
            model = models[facet]
            names = dict(
                session.execute(select(model.id, model.slug).where(model.id.in_(counts))).all()
            )
        named[facet] = {names[value_id]: n for value_id, n in counts.items()}
    return named


def assert_counts_true(database: Database) -> None:
    with database.session() as session:
        for filters in FILTERS:
            assert shown(session, filters) == reference(session, filters), filters
        assert kept_tallies(session) == plain_tallies(session)


def _edit(database: Database, slug: str, **changes: Any) -> None:
    with database.session(write=True) as session:
        service.update(
            session,
            slug=slug,
            data=EventUpdate.model_validate(changes, strict=False),
            expected_version=None,
            author="test",
        )


def test_seed_counts_are_the_plain_counts_for_every_filter(seeded: Database) -> None:
    assert_counts_true(seeded)
    with seeded.session() as session:
        everything = shown(session, listing.EventFilters())
    assert everything["actor"]["russia"] >= 3  # not trivially empty


@pytest.mark.parametrize("rare_share", [0, None, 10**9])
def test_filters_count_the_same_found_either_way(
    seeded: Database, monkeypatch: pytest.MonkeyPatch, rare_share: int | None
) -> None:
    # The full-text index asked for the terms of the rarest facet's values beside the
    # words, with those of the other facets' values always (0), where rare (None: as
    # served), or never (the rest checked on each event it hands out).
    if rare_share is not None:
        monkeypatch.setattr(choices, "RARE_SHARE", dict.fromkeys(choices.RARE_SHARE, rare_share))
    with seeded.session() as session:
        for filters in FILTERS:
            assert shown(session, filters) == reference(session, filters), filters
            found = timeline_service.extent(session, filters=filters)
            assert found.total == len(list(session.scalars(listing.filtered(filters)))), filters
        some = listing.EventFilters(q="round", statuses=("held", "tentative"))
        assert sum(shown(session, some)["actor"].values()) > 0


def test_how_many_match_and_their_span_are_those_of_the_loaded_events(
    seeded: Database,
) -> None:
    with seeded.session() as session:
        for filters in FILTERS:
            events = list(session.scalars(listing.filtered(filters)))
            found = timeline_service.extent(session, filters=filters)
            assert (found.total, found.at_least) == (len(events), False), filters
            assert found.first == min((e.start_date for e in events), default=None), filters
            assert found.last == max((e.end_date or e.start_date for e in events), default=None), (
                filters
            )
        assert timeline_service.extent(session, filters=FILTERS[-1]).total > 0


@pytest.mark.parametrize("cap", [500, 3])
def test_the_first_page_found_with_the_counts_is_the_page_walked(
    seeded: Database, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    # Where every match was counted, the timeline's first page comes from the count's walk:
    # the same events in the same order, and the same cursor to the next page. Past the cap
    # none is listed, and the page is walked.
    monkeypatch.setattr(facets_module, "CAP", cap)
    listed, walked = 0, 0
    with seeded.session() as session:
        for filters in FILTERS[1:]:
            counted = facets_module.count(session, filters, listed=3)
            ids, cursor = listing.page_ids(session, filters=filters, limit=2)
            if counted.capped:
                assert counted.listed is None, filters
                walked += 1
                continue
            assert counted.listed is not None, filters
            assert [event_id for event_id, _ in counted.listed[:2]] == ids, filters
            assert listing.next_cursor(counted.listed, "asc", 2) == cursor, filters
            # Some facets' counts asked for alone list the same first events.
            alone = facets_module.count(session, filters, only=["tag", "actor"], listed=3)
            assert alone.listed == counted.listed, filters
            listed += cursor is not None
    assert listed > 3 and (walked > 3 if cap == 3 else walked == 0)


def test_counts_follow_every_write_that_moves_them(
    seeded: Database, make: Any, client: Any
) -> None:
    side = make.actor(name="Some Ministry", kind="organization")
    member = make.actor(name="A Spokesperson", affiliation=side)
    place = make.place(name="Geneva")
    tag = make.tag(name="Prisoners")
    slug = make.event(
        title="A statement on prisoners",
        kind="statement",
        place=place,
        tags=[tag, "territories"],
        participants=[{"actor": member, "role": "speaker"}, {"actor": "russia", "role": "party"}],
    )
    assert_counts_true(seeded)

    _edit(
        seeded,
        slug,
        place="abu-dhabi",
        series="abu-dhabi-trilateral-talks",
        tags=[tag],
        participants=[{"actor": member, "role": "mentioned"}],
    )
    assert_counts_true(seeded)

    # The member's side changes: every event the member took part in counts for the new one.
    with seeded.session(write=True) as session:
        actor_service.update(session, slug=member, data=ActorUpdate(affiliation="ukraine"))
    assert_counts_true(seeded)
    _edit(seeded, slug, participants=[{"actor": member, "role": "speaker"}])
    assert_counts_true(seeded)
    with seeded.session() as session:
        assert shown(session, listing.EventFilters())["actor"].get(side) is None

    with seeded.session(write=True) as session:
        service.delete(session, slug=slug, expected_version=None, author="test")
    assert_counts_true(seeded)
    with seeded.session(write=True) as session:
        service.restore(session, slug=slug, version=3, author="test")
    assert_counts_true(seeded)

    # The timeline page shows those counts beside each choice, as a reader sees them.
    html = client.get("/", params={"kind": "statement"}).text
    with seeded.session() as session:
        wanted = reference(session, listing.EventFilters(kinds=("statement",)))["tag"][tag]
    shown_count = re.search(rf'value="{tag}"[^>]*>.*?<span class="count">(\d+)</span>', html, re.S)
    assert shown_count and int(shown_count.group(1)) == wanted == 1


def _found(database: Database, filters: listing.EventFilters) -> list[int]:
    """The events a filtered page lists (found from the full-text index's terms of the
    chosen values, on SQLite), checked against the plain query's, and its counts against
    the reference's."""
    with database.session() as session:
        ids, _cursor = listing.page_ids(session, filters=filters, limit=200)
        plain = (
            listing.filtered(filters)
            .with_only_columns(Event.id)
            .order_by(Event.starts_at, Event.id)
        )
        assert ids == list(session.scalars(plain)), filters
        assert shown(session, filters) == reference(session, filters), filters
        return ids


def test_chosen_values_find_the_events_that_have_them_after_every_write(
    seeded: Database, make: Any
) -> None:
    place, tag = make.place(name="Istanbul"), make.tag(name="Grain")
    party = [{"actor": "russia", "role": "party"}]
    slug = make.event(
        title="Grain corridor talks", kind="talks", place=place, tags=[tag], participants=party
    )
    with seeded.session() as session:
        event_id = session.scalar(select(Event.id).where(Event.slug == slug))
    chosen = listing.EventFilters(q="corridor", places=(place,), tags=(tag,), actors=("russia",))
    without_words = dataclasses.replace(chosen, q=None, kinds=("talks",))
    assert event_id in _found(seeded, chosen) and event_id in _found(seeded, without_words)

    _edit(seeded, slug, place="abu-dhabi", participants=[{"actor": "ukraine", "role": "party"}])
    assert event_id not in _found(seeded, chosen) + _found(seeded, without_words)
    moved = dataclasses.replace(chosen, places=("abu-dhabi",), actors=("ukraine",))
    assert event_id in _found(seeded, moved)
    with seeded.session(write=True) as session:
        service.delete(session, slug=slug, expected_version=None, author="test")
    assert event_id not in _found(seeded, moved)
    with seeded.session(write=True) as session:
        service.restore(session, slug=slug, version=2, author="test")
    assert event_id in _found(seeded, moved)
    # The terms of the choices are never found by words, whatever a search spells.
    with seeded.session() as session:
        tag_id = session.scalar(select(Tag.id).where(Tag.slug == tag))
    assert tag_id is not None
    assert _found(seeded, listing.EventFilters(q=facet_rows.choice_term("tag", tag_id))) == []


def test_a_range_that_began_before_the_first_day_is_found_once_written(
    seeded: Database, make: Any
) -> None:
    # The first day a dated walk reads the index from is kept while the data stands: a
    # write that starts a range earlier moves it.
    dated = listing.EventFilters(
        from_date=dt.date(2026, 2, 1), kinds=("talks",), actors=("russia",), tags=("territories",)
    )
    before = _found(seeded, dated)
    slug = make.event(
        title="A long round on territories",
        kind="talks",
        start_date="2025-11-03",
        end_date="2026-03-01",
        tags=["territories"],
        participants=[{"actor": "russia", "role": "party"}],
    )
    with seeded.session() as session:
        event_id = session.scalar(select(Event.id).where(Event.slug == slug))
    assert _found(seeded, dated) == [event_id, *before]


def test_counts_taken_from_the_index_alone_leave_out_what_only_an_event_rules_out(
    seeded: Database, make: Any, monkeypatch: Any
) -> None:
    # Where the full-text index is asked for every chosen value's terms, a facet's counts
    # among the other filters' events come from its keys, no event read. Not where only the
    # event can tell: one that ended before the first day lies among the keys read from the
    # earliest start of those still running on it, and a deleted event keeps its words (a
    # search with no other choice left), taking a counted place past the cap.
    party = [{"actor": "russia", "role": "party"}]
    chosen = {"tags": ["territories"], "participants": party}
    make.event(
        title="A long quokka round", start_date="2025-11-03", end_date="2026-03-01", **chosen
    )
    make.event(
        title="A short quokka round", start_date="2025-11-10", end_date="2025-11-12", **chosen
    )
    gone = make.event(title="A quokka statement", start_date="2025-10-01", **chosen)
    with seeded.session(write=True) as session:
        service.delete(session, slug=gone, expected_version=None, author="test")
    dated = listing.EventFilters(
        from_date=dt.date(2026, 2, 1), tags=("territories",), actors=("russia",)
    )
    searched = listing.EventFilters(q="quokka", tags=("territories",))
    # A last day bounds the index's keys: the events after it are not among them.
    ended = dataclasses.replace(dated, from_date=None, to_date=dt.date(2025, 12, 31))
    with seeded.session() as session:
        assert shown(session, ended)["tag"] == {"territories": 2}
        for filters in (dated, ended, searched, dataclasses.replace(searched, actors=("russia",))):
            assert shown(session, filters) == reference(session, filters), filters
        assert shown(session, searched)["tag"] == {"territories": 2}
    monkeypatch.setattr(facets_module, "CAP", 1)
    with seeded.session() as session:
        counted = facets(session, searched)["tag"]
    assert [(c.value, c.count, c.at_least) for c in counted] == [("territories", 1, True)]


def test_events_loaded_in_bulk_get_their_rows_when_documents_are_made(
    seeded: Database,
) -> None:
    """A bulk load writes events without their documents or rows; making the documents (as
    `parley db upgrade` and `make bench` do) makes their rows too."""
    with seeded.session(write=True) as session:
        session.execute(delete(EventFacet))
        session.execute(delete(EventDocument))
    with seeded.session(write=True) as session:
        assert documents.fill(session) > 0
        assert session.scalar(select(EventFacet.event_id).limit(1)) is not None
    assert_counts_true(seeded)


def test_a_savepoint_rolled_back_takes_its_counts_with_it(seeded: Database) -> None:
    """Changes made inside a SAVEPOINT that rolls back leave the tallies as they were; those
    of the rest of the transaction count."""
    made = EventCreate.model_validate(
        {"title": "Talks that never were", "kind": "agreement", "start_date": "2026-03-01"},
        strict=False,
    )
    kept = EventCreate.model_validate(
        {"title": "Talks that were", "kind": "proposal", "start_date": "2026-03-02"},
        strict=False,
    )
    with seeded.session(write=True) as session:
        try:
            with session.begin_nested():
                service.create(session, data=made, author="test")
                raise RuntimeError("changed our mind")
        except RuntimeError:
            pass
        service.create(session, data=kept, author="test")
    assert_counts_true(seeded)
    with seeded.session() as session:
        assert kept_tallies(session)["kind"].get("agreement") is None
        assert kept_tallies(session)["kind"]["proposal"] == 1


def test_past_the_cap_counts_are_floors_and_say_so(
    seeded: Database, client: Any, monkeypatch: Any
) -> None:
    """When more events match than are counted one by one, every count shown is at most the
    true one and is marked as a floor; the total too."""
    monkeypatch.setattr(facets_module, "CAP", 2)
    filters = listing.EventFilters(kinds=("statement",))
    with seeded.session() as session:
        counted = facets(session, filters)
        true = reference(session, filters)
        total = len(session.scalars(listing.filtered(filters)).all())
    assert total > 2
    floors = [(facet, c) for facet in RECORD_FACETS for c in counted[facet]]
    assert floors and all(c.at_least and c.count <= true[facet][c.value] for facet, c in floors)
    # The kinds count all events of every kind (the kind filter is the one counted): exact.
    assert not any(c.at_least for c in counted["kind"])
    html = client.get("/", params={"kind": "statement"}).text
    assert "2+ events match these filters" in html
    assert re.search(r'<span class="count" title="at least[^"]*">\d+\+</span>', html)


def test_past_the_cap_the_span_is_still_that_of_every_match(
    seeded: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found from the first and the last match in date order (the full-text index read
    # from the front and the back, or the filters' own indexes) and the ranges that end
    # late.
    monkeypatch.setattr(facets_module, "CAP", 1)
    with seeded.session() as session:
        for filters in FILTERS:
            events = list(session.scalars(listing.filtered(filters)))
            found = timeline_service.extent(session, filters=filters)
            # Unfiltered, the kept tallies count every event exactly.
            capped = len(events) > 1 and not facets_module.is_empty(filters)
            assert found.at_least == capped, filters
            assert found.first == min((e.start_date for e in events), default=None), filters
            assert found.last == max((e.end_date or e.start_date for e in events), default=None), (
                filters
            )


def test_past_the_cap_a_late_ending_range_counts_only_if_it_matches(
    database: Database, make: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The last day comes from the last match's start or a later end: a range that ends
    # after the last match begins but lacks the words, or another filter, is not one.
    monkeypatch.setattr(facets_module, "CAP", 1)
    for day in (1, 2):
        make.event(title="Ceasefire talks", kind="talks", start_date=dt.date(2026, 3, day))
    make.event(
        title="Ceasefire monitoring",
        kind="statement",
        start_date=dt.date(2026, 2, 20),
        end_date=dt.date(2026, 4, 30),
    )
    make.event(
        title="Unrelated mission",
        kind="talks",
        start_date=dt.date(2026, 2, 25),
        end_date=dt.date(2026, 6, 30),
    )
    cases = [
        (listing.EventFilters(q="ceasefire talks"), dt.date(2026, 3, 2)),
        (listing.EventFilters(q="ceasefire", kinds=("talks",)), dt.date(2026, 3, 2)),
        (listing.EventFilters(q="ceasefire"), dt.date(2026, 4, 30)),
        (listing.EventFilters(kinds=("talks",)), dt.date(2026, 6, 30)),
    ]
    with database.session() as session:
        for filters, last in cases:
            found = timeline_service.extent(session, filters=filters)
            assert found.at_least, filters
            assert found.last == last, filters


def test_a_long_facet_lists_its_most_frequent_choices_and_links_to_all(
    seeded: Database, client: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(facets_module, "SHOWN_CHOICES", 3)
    with seeded.session() as session:
        every = facets(session, listing.EventFilters())["actor"]
    frequent = sorted(every, key=lambda c: (-c.count, c.label))[:3]

    def listed(html: str) -> set[str]:
        return set(re.findall(r'name="actor" value="([^"]+)"', html))

    page = client.get("/", params={"actor": every[-1].value}).text
    # The three most frequent, and the one chosen even if it is not among them.
    assert listed(page) == {c.value for c in frequent} | {every[-1].value}
    link = re.search(r'<a href="([^"]*all=actor[^"]*)">Show all (\d+)', page)
    assert link and int(link.group(2)) == len(every)
    assert listed(client.get(html_unescape(link.group(1))).text) == {c.value for c in every}
