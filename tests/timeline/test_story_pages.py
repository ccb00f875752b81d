"""The story page without JavaScript: one event, links to its neighbours within the filters,
quotes in their original language, what a search matched marked, and the errors."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from app.core.database import Database
from tests.support.factory import Factory

SEED_ORDER = [
    "witkoff-davos-a-lot-of-progress",
    "abu-dhabi-talks-round-1",
    "zelenskyy-evening-address-2026-01-26",
    "peskov-next-round-next-week-2026-01-26",
    "sybiha-interview-2026-01-27",
    "kremlin-announces-round-2",
    "abu-dhabi-talks-round-2",
]


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}"', html)
    return unescape(found.group(1)) if found else None


def _shown(html: str) -> str:
    found = re.search(r'data-story-step data-slug="([^"]+)"', html)
    assert found, html
    return found.group(1)


def test_the_story_starts_at_the_first_event_and_steps_through_every_one(
    client: Any, seeded: Database
) -> None:
    response = client.get("/story")
    assert response.status_code == 200
    html = response.text
    assert _shown(html) == SEED_ORDER[0]
    assert _link(html, "prev") is None
    assert "Event 1 of 7" in html
    walked = [_shown(html)]
    url = _link(html, "next")
    while url:
        html = client.get(url).text
        walked.append(_shown(html))
        assert f"Event {len(walked)} of 7" in html
        assert _link(html, "prev") == f"/story?event={walked[-2]}"
        url = _link(html, "next")
    assert walked == SEED_ORDER
    assert "This is the last event" in html


def test_a_step_shows_the_event_large_with_its_sources_and_series(
    client: Any, seeded: Database
) -> None:
    html = client.get("/story", params={"event": "abu-dhabi-talks-round-1"}).text
    assert re.search(r'<h1 id="story-title"[^>]*>Trilateral consultations in Abu Dhabi</h1>', html)
    assert "Jan 23–24, 2026" in html
    assert "“significant work ahead”" in html and "Dmitry Peskov" in html
    assert 'rel="noopener noreferrer external">Russia, Ukraine, and US gear up' in html
    assert "News.Az" in html and 'datetime="2026-01-28"' in html
    assert 'href="/series/abu-dhabi-trilateral-talks"' in html and "round 1" in html
    assert 'href="/events/abu-dhabi-talks-round-1"' in html
    # The strip: the current event among those around it, and each other one a step away.
    assert re.search(r'aria-current="step"[^<]*<span class="mark-dot"', html)
    assert 'href="/story?event=witkoff-davos-a-lot-of-progress"' in html
    twin = '<link rel="alternate" type="application/json" href="/api/v1/events/{}">'
    assert twin.format("abu-dhabi-talks-round-1") in html
    # A planned event says so (the seed's Feb 1 round is long past: awaiting confirmation).
    planned = client.get("/story", params={"event": "abu-dhabi-talks-round-2"}).text
    assert "tentative · awaiting confirmation" in planned


def test_filters_are_kept_in_every_step(client: Any, seeded: Database) -> None:
    html = client.get("/story", params={"actor": "dmitry-peskov"}).text
    assert _shown(html) == "peskov-next-round-next-week-2026-01-26"
    assert "Event 1 of 2 matching the filters" in html
    assert _link(html, "next") == "/story?actor=dmitry-peskov&event=kremlin-announces-round-2"
    last = client.get(_link(html, "next")).text
    assert _link(last, "next") is None
    assert _link(last, "prev") == (
        "/story?actor=dmitry-peskov&event=peskov-next-round-next-week-2026-01-26"
    )
    assert 'href="/?actor=dmitry-peskov&amp;event=kremlin-announces-round-2"' in last


def test_unknown_events_are_404_and_filters_naming_nothing_422_pages(
    client: Any, seeded: Database
) -> None:
    missing = client.get("/story", params={"event": "no-such-event"})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    unknown = client.get("/story", params={"actor": "nobody-at-all"})
    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith("text/html")
    assert "nobody-at-all" in unknown.text
    assert client.get("/story", params={"kind": "picnic"}).status_code == 422
    assert client.get("/story", params={"from": "yesterday"}).status_code == 422
    nothing = client.get("/story", params={"kind": "agreement"})
    assert nothing.status_code == 200
    assert "No events match these filters." in nothing.text


def test_the_timeline_and_every_event_page_link_into_the_story(
    client: Any, seeded: Database
) -> None:
    home = client.get("/", params={"kind": "talks"}).text
    assert re.search(r'<a href="/story\?kind=talks">Read as a story</a>', home)
    event = client.get("/events/sybiha-interview-2026-01-27").text
    assert '<a href="/story?event=sybiha-interview-2026-01-27">Read as a story</a>' in event


def test_a_search_marks_what_it_matched_in_the_story_and_the_list(
    client: Any, seeded: Database
) -> None:
    html = client.get("/story", params={"q": "peskov"}).text
    assert "Event 1 of 4 matching the filters" in html
    assert "<mark>Peskov</mark>" in html
    listed = client.get("/", params={"q": "Abu Dhab"}).text
    assert re.search(r'<a href="/events/[^"]+">[^<]*<mark>Abu Dhabi</mark>', listed)
    plain = client.get("/").text
    assert "<mark>" not in plain


def test_marks_never_let_markup_through(client: Any, database: Database, make: Factory) -> None:
    make.event(title="<script>alert(1)</script> Script day", summary="script <b>kiddies</b>")
    html = client.get("/", params={"q": "script"}).text
    assert "<script>alert(1)</script>" not in html
    assert (
        "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; <mark>Script</mark> day"
        in html
    )
    story = client.get("/story", params={"q": "script"}).text
    assert "<b>kiddies</b>" not in story and "&lt;b&gt;kiddies&lt;/b&gt;" in story


def test_original_quotes_stand_beside_the_english_with_their_language(
    client: Any, database: Database, make: Factory
) -> None:
    peskov = make.actor(name="Dmitry Peskov", kind="person", aliases=["Песков"])
    slug = make.event(
        title="Peskov on the talks",
        sources=[
            {
                "url": "https://example.org/peskov",
                "publisher": "Wire",
                "quote": "Work lies ahead.",
                "original_quote": "Впереди работа.",
                "original_language": "ru",
                "speaker": peskov,
            }
        ],
    )
    for url in (f"/events/{slug}", f"/story?event={slug}"):
        html = client.get(url).text
        assert '<blockquote lang="ru"><p>“Впереди работа.”</p></blockquote>' in html, url
        assert "“Work lies ahead.”" in html
        assert "Original, Russian" in html
    marked = client.get("/story", params={"q": "впереди"}).text
    assert "<mark>Впереди</mark>" in marked


def test_a_search_in_another_script_says_whose_alias_it_found(
    client: Any, seeded: Database
) -> None:
    # Путин is an alias of Vladimir Putin, who is only mentioned in the Sybiha interview: the
    # card shows no name of his, so it says why the event matched.
    listed = client.get("/", params={"q": "Путин"}).text
    cards = re.findall(r'<article class="event-card.*?</article>', listed, re.S)
    assert len(cards) >= 1
    for card in cards:
        assert re.search(
            r'<p class="found-by">Found by [^<]*<mark>Путин</mark> \(Vladimir Putin\)', card
        )
    # A name shown on the card is marked whole when one of its aliases was found.
    peskov = client.get("/", params={"q": "Песков"}).text
    assert "<mark>Dmitry Peskov</mark>" in peskov
    story = client.get("/story", params={"q": "Песков"}).text
    assert "<mark>Dmitry Peskov</mark>" in story
    assert re.search(r"Found by [^<]*<mark>Песков</mark> \(Dmitry Peskov\)", story)
    # Words that find the name itself need no explanation.
    assert 'class="found-by"' not in client.get("/", params={"q": "peskov"}).text
