"""The timeline page and the event page, as a reader without JavaScript gets them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event as sa_event

from app.core.database import Database

SEED_ORDER = [
    "witkoff-davos-a-lot-of-progress",
    "abu-dhabi-talks-round-1",
    "zelenskyy-evening-address-2026-01-26",
    "peskov-next-round-next-week-2026-01-26",
    "sybiha-interview-2026-01-27",
    "kremlin-announces-round-2",
    "abu-dhabi-talks-round-2",
]


def list_slugs(html: str) -> list[str]:
    """The data-slug of each article in #event-list, in page order."""
    listed = html.split('id="event-list"', 1)[1]
    return re.findall(r'<article[^>]*data-slug="([^"]+)"', listed)


@contextmanager
def count_queries(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    sa_event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa_event.remove(database.engine, "before_cursor_execute", record)


def test_timeline_lists_every_event_in_date_order_grouped_by_month(
    client: Any, seeded: Database
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert list_slugs(html) == SEED_ORDER
    assert '<div id="timeline"' in html
    assert '<form id="filters"' in html
    january = html.index(">January 2026</h3>")
    february = html.index(">February 2026</h3>")
    assert january < html.index('data-slug="kremlin-announces-round-2"') < february
    assert february < html.index('data-slug="abu-dhabi-talks-round-2"')
    assert '<link rel="alternate" type="application/json" href="/api/v1/events">' in html
    assert response.headers["Link"].startswith("</api/v1/events>")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "<script>" not in html and "style=" not in html


def test_list_shows_honest_dates_and_details(client: Any, seeded: Database) -> None:
    html = client.get("/").text
    assert "Jan 23–24, 2026" in html
    assert "around Jan 22, 2026" in html
    card = html.split('data-slug="abu-dhabi-talks-round-2"', 1)[1].split("</article>", 1)[0]
    assert "Feb 1, 2026" in card
    assert "awaiting confirmation" in card
    assert "Abu Dhabi" in card
    assert "1 source" in card
    first = html.split('data-slug="abu-dhabi-talks-round-1"', 1)[1].split("</article>", 1)[0]
    assert "3 sources" in first and "Russia" in first and "Ukraine" in first


def test_upcoming_block_lists_planned_events(client: Any, make: Any) -> None:
    soon = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=10)
    make.event(title="Round three", status="tentative", start_date=soon, kind="talks")
    make.event(title="Already held", start_date=dt.date(2026, 1, 5))
    html = client.get("/").text
    upcoming = html.split('id="upcoming"', 1)[1].split("</section>", 1)[0]
    upcoming = re.sub(r"<[^>]+>", "", upcoming)
    assert "Round three" in upcoming
    assert f"{soon:%b} {soon.day}, {soon.year} · tentative" in upcoming
    assert "Already held" not in upcoming


def test_user_text_is_escaped(client: Any, make: Any) -> None:
    slug = make.event(title="<img src=x onerror=alert(1)>", summary="<script>alert(2)</script>")
    for url in ("/", f"/events/{slug}"):
        html = client.get(url).text
        assert "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "<script>alert(2)" not in html


def test_filters_narrow_the_list_and_keep_their_values(client: Any, seeded: Database) -> None:
    html = client.get("/", params={"kind": "talks"}).text
    assert list_slugs(html) == ["abu-dhabi-talks-round-1", "abu-dhabi-talks-round-2"]
    assert re.search(r'name="kind" value="talks" checked', html)
    # Counts per choice ignore the filter they belong to, so other kinds still say how many.
    assert re.search(r'value="statement"\s*>.*?<span class="count">5</span>', html, re.S)
    html = client.get("/", params={"actor": "dmitry-peskov"}).text
    assert list_slugs(html) == [
        "peskov-next-round-next-week-2026-01-26",
        "kremlin-announces-round-2",
    ]
    html = client.get("/", params={"from": "2026-01-27", "to": "2026-01-31"}).text
    assert list_slugs(html) == ["sybiha-interview-2026-01-27", "kremlin-announces-round-2"]
    assert 'value="2026-01-27"' in html
    json_link = re.search(r'rel="alternate" type="application/json" href="([^"]+)"', html)
    assert json_link and json_link.group(1) == "/api/v1/events?from=2026-01-27&amp;to=2026-01-31"


def test_counts_and_total_follow_a_write_at_once(client: Any, seeded: Database, make: Any) -> None:
    """The page's counts are kept while nothing changes; a new event shows in them at once."""
    statements = r'value="statement"\s*>.*?<span class="count">(\d+)</span>'
    before = client.get("/").text
    assert client.get("/").text.count("<article") == before.count("<article")
    count = int(re.findall(statements, before, re.S)[0])

    make.event(title="Another remark", kind="statement", start_date=dt.date(2026, 1, 29))

    after = client.get("/").text
    assert int(re.findall(statements, after, re.S)[0]) == count + 1
    assert len(list_slugs(after)) == len(list_slugs(before)) + 1
    about = client.get("/about").text
    assert f"{len(list_slugs(after))} events" in about


def test_a_chosen_filter_that_matches_nothing_can_be_unchosen(
    client: Any, seeded: Database
) -> None:
    html = client.get("/", params={"kind": "call", "place": "nowhere-at-all"}).text
    assert list_slugs(html) == []
    assert "No events match these filters." in html
    assert re.search(r'name="place" value="nowhere-at-all" checked', html)


def test_text_search_narrows_the_list(client: Any, seeded: Database) -> None:
    html = client.get("/", params={"q": "Witkoff"}).text
    slugs = list_slugs(html)
    assert "witkoff-davos-a-lot-of-progress" in slugs
    assert "sybiha-interview-2026-01-27" not in slugs
    assert 'name="q" value="Witkoff"' in html


def test_a_bad_date_is_named_next_to_its_field(client: Any, seeded: Database) -> None:
    response = client.get("/", params={"from": "yesterday"})
    assert response.status_code == 200
    assert 'id="error-from"' in response.text
    assert "“yesterday” is not a date" in response.text
    assert 'value="yesterday"' in response.text


def test_list_is_paginated_by_cursor(client: Any, make: Any) -> None:
    for n in range(55):
        make.event(title=f"Meeting {n}", start_date=dt.date(2025, 1, 1) + dt.timedelta(days=n))
    html = client.get("/").text
    assert len(list_slugs(html)) == 50
    next_url = re.search(r'<a href="([^"]+)" rel="next">', html)
    assert next_url
    second = client.get(next_url.group(1).replace("&amp;", "&")).text
    assert len(list_slugs(second)) == 5
    assert not set(list_slugs(second)) & set(list_slugs(html))


def test_query_count_does_not_grow_with_events_shown(
    client: Any, make: Any, database: Database
) -> None:
    actor = make.actor(name="Someone")
    place = make.place(name="Somewhere")
    for _n in range(3):
        make.event(participants=[{"actor": actor, "role": "party"}], place=place)
    with count_queries(database) as few:
        assert client.get("/").status_code == 200
    for _n in range(30):
        make.event(participants=[{"actor": actor, "role": "party"}], place=place)
    with count_queries(database) as many:
        assert client.get("/").status_code == 200
    assert len(many) == len(few)


def test_event_page_shows_everything(client: Any, seeded: Database) -> None:
    response = client.get("/events/abu-dhabi-talks-round-1")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Trilateral consultations in Abu Dhabi</h1>" in html
    assert "Jan 23–24, 2026" in html
    assert "“significant work ahead”" in html and "Dmitry Peskov" in html
    assert "News.Az" in html
    assert 'href="/series/abu-dhabi-trilateral-talks"' in html and "round 1" in html
    assert 'href="/events/abu-dhabi-talks-round-1/history"' in html
    twin = '<link rel="alternate" type="application/json" href="/api/v1/events/{}">'
    assert twin.format("abu-dhabi-talks-round-1") in html
    assert re.search(r'href="/events/witkoff-davos-a-lot-of-progress" rel="prev"', html)
    assert re.search(r'href="/events/zelenskyy-evening-address-2026-01-26" rel="next"', html)
    planned = client.get("/events/abu-dhabi-talks-round-2").text
    assert "awaiting confirmation" in planned
    assert 'rel="next"' not in planned


def test_missing_and_deleted_events_get_styled_pages(
    client: Any, seeded: Database, database: Database
) -> None:
    from app.events import service

    missing = client.get("/events/no-such-event")
    assert missing.status_code == 404
    assert "Not found" in missing.text and "Back to the timeline" in missing.text
    with database.session(write=True) as session:
        service.delete(
            session, slug="sybiha-interview-2026-01-27", expected_version=None, author="tester"
        )
    gone = client.get("/events/sybiha-interview-2026-01-27")
    assert gone.status_code == 410
    assert "This event was deleted" in gone.text
    assert "Sybiha: Zelenskyy ready to meet Putin" in gone.text
    assert 'href="/events/sybiha-interview-2026-01-27/history"' in gone.text
    assert "sybiha-interview-2026-01-27" not in list_slugs(client.get("/").text)


def test_the_event_page_confirms_a_save_and_a_restore(client: Any, seeded: Database) -> None:
    saved = client.get("/events/abu-dhabi-talks-round-1?saved=1").text
    assert "Saved. This is version 1" in saved
    restored = client.get("/events/abu-dhabi-talks-round-1?restored=1").text
    assert "Version 1 restored" in restored
    plain = client.get("/events/abu-dhabi-talks-round-1?restored=<b>").text
    assert "restored" not in plain.split("<header>")[0].lower()
