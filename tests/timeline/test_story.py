"""The story's steps: neighbours in date order within the filters, found by keyset seeks,
on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.datastructures import QueryParams

from app.core.database import Database
from app.core.errors import EventNotFound, InvalidInput
from app.events.listing import EventFilters
from app.timeline import story
from app.timeline.query import TimelineQuery, checked_filters
from tests.support.factory import Factory
from tests.support.statements import statements


def _step(database: Database, slug: str | None, filters: EventFilters, total: int) -> story.Story:
    with database.session() as session:
        found = story.step(session, filters=filters, slug=slug, total=total)
    assert found is not None
    return found


def test_steps_go_to_the_neighbours_in_date_order_within_the_filters(
    database: Database, make: Factory
) -> None:
    day = dt.date(2026, 3, 1)
    talks = [
        make.event(kind="talks", start_date=day + dt.timedelta(days=n)) for n in range(0, 9, 2)
    ]
    # Calls in between: the story of the talks steps over them.
    for n in range(1, 9, 2):
        make.event(kind="call", start_date=day + dt.timedelta(days=n))
    # Two talks on the same day keep a stable order (by id), so no step is ever skipped.
    same_day = make.event(kind="talks", start_date=day + dt.timedelta(days=4))
    order = [talks[0], talks[1], talks[2], same_day, talks[3], talks[4]]
    only_talks = EventFilters(kinds=["talks"])

    first = _step(database, None, only_talks, total=len(order))
    assert first.event.slug == order[0] and first.previous is None
    assert first.position == 1 and first.next and first.next.slug == order[1]

    walked = [first.event.slug]
    here = first
    while here.next is not None:
        here = _step(database, here.next.slug, only_talks, total=len(order))
        assert here.previous is not None and here.previous.slug == walked[-1]
        walked.append(here.event.slug)
        assert here.position == len(walked)
    assert walked == order

    middle = _step(database, same_day, only_talks, total=len(order))
    # The strip: up to AROUND events on each side (here three before and two after).
    assert [m.slug for m in middle.strip] == order
    assert [m.current for m in middle.strip].count(True) == 1


def test_an_event_outside_the_filters_steps_to_the_nearest_that_match(
    database: Database, make: Factory
) -> None:
    before = make.event(kind="talks", start_date=dt.date(2026, 4, 1))
    outside = make.event(kind="call", start_date=dt.date(2026, 4, 2))
    after = make.event(kind="talks", start_date=dt.date(2026, 4, 3))
    here = _step(database, outside, EventFilters(kinds=["talks"]), total=2)
    assert not here.matches
    assert here.previous and here.previous.slug == before
    assert here.next and here.next.slug == after
    assert here.position == 1 and here.before == 1  # one matching event comes before it


def test_deleted_events_are_not_steps_and_an_unknown_slug_is_not_found(
    database: Database, make: Factory
) -> None:
    with database.session() as session:
        assert story.step(session, filters=EventFilters(), slug=None, total=0) is None
        with pytest.raises(EventNotFound):
            story.step(session, filters=EventFilters(), slug="no-such-event", total=0)


def test_a_step_reads_a_fixed_number_of_statements(database: Database, make: Factory) -> None:
    slugs = [make.event(start_date=dt.date(2026, 5, 1) + dt.timedelta(days=n)) for n in range(3)]
    with statements(database) as few, database.session() as session:
        story.step(session, filters=EventFilters(), slug=slugs[1], total=3)
    slugs += [make.event(start_date=dt.date(2026, 6, 1) + dt.timedelta(days=n)) for n in range(20)]
    with statements(database) as many, database.session() as session:
        story.step(session, filters=EventFilters(), slug=slugs[10], total=23)
    assert len(many) == len(few)


def test_filters_that_name_nothing_are_refused_naming_the_parameter(
    database: Database, make: Factory
) -> None:
    with database.session() as session:
        with pytest.raises(InvalidInput) as unknown_actor:
            checked_filters(session, TimelineQuery.parse(QueryParams("actor=nobody")))
        assert unknown_actor.value.errors[0]["loc"] == ["query", "actor"]
        with pytest.raises(InvalidInput) as bad_kind:
            checked_filters(session, TimelineQuery.parse(QueryParams("kind=picnic")))
        assert bad_kind.value.errors[0]["loc"] == ["query", "kind"]


def test_deep_in_a_long_story_the_count_stops(
    database: Database, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting the events before is bounded; past the bound the place is not a number."""
    monkeypatch.setattr(story, "COUNTED", 2)
    slugs = [make.event(start_date=dt.date(2026, 7, 1) + dt.timedelta(days=n)) for n in range(4)]
    assert _step(database, slugs[2], EventFilters(), total=4).position == 3
    deep = _step(database, slugs[3], EventFilters(), total=4)
    assert deep.position is None and deep.before is None
    assert deep.previous is not None and deep.previous.slug == slugs[2]
