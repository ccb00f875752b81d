"""Actor, place and series pages, and the about page."""

from __future__ import annotations

from typing import Any

from app.core.database import Database


def test_a_state_lists_its_people_and_their_statements(client: Any, seeded: Database) -> None:
    response = client.get("/actors/russia")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Russia</h1>" in html
    members = html.split('id="members-heading"', 1)[1].split("</section>", 1)[0]
    assert "Dmitry Peskov" in members and "Vladimir Putin" in members
    assert "“significant work ahead”" in html
    assert 'data-slug="kremlin-announces-round-2"' in html
    assert '<link rel="alternate" type="application/json" href="/api/v1/actors/russia">' in html


def test_a_state_lists_people_without_events(client: Any, make: Any) -> None:
    state = make.actor(name="Freedonia", kind="state")
    make.actor(name="Rufus Firefly", kind="person", title="Leader", affiliation=state)
    response = client.get(f"/actors/{state}")
    assert response.status_code == 200
    assert "Rufus Firefly</a>, Leader" in response.text
    assert "No events yet." in response.text


def test_a_person_page_links_their_side(client: Any, seeded: Database) -> None:
    html = client.get("/actors/dmitry-peskov").text
    assert 'href="/actors/russia"' in html
    assert 'data-slug="peskov-next-round-next-week-2026-01-26"' in html
    assert 'data-slug="sybiha-interview-2026-01-27"' not in html


def test_place_page_lists_what_happened_there(client: Any, seeded: Database) -> None:
    html = client.get("/places/abu-dhabi").text
    assert "<h1>Abu Dhabi</h1>" in html
    assert 'data-slug="abu-dhabi-talks-round-1"' in html
    assert 'data-slug="witkoff-davos-a-lot-of-progress"' not in html
    assert 'href="/api/v1/places/abu-dhabi"' in html


def test_series_page_lists_rounds_in_order(client: Any, seeded: Database) -> None:
    html = client.get("/series/abu-dhabi-trilateral-talks").text
    assert html.index("Round 1") < html.index('data-slug="abu-dhabi-talks-round-1"')
    assert html.index('data-slug="abu-dhabi-talks-round-1"') < html.index("Round 2")
    assert html.index("Round 2") < html.index('data-slug="abu-dhabi-talks-round-2"')
    assert 'href="/api/v1/series/abu-dhabi-trilateral-talks"' in html


def test_unknown_records_are_404_pages(client: Any, seeded: Database) -> None:
    for url in ("/actors/nobody", "/places/nowhere", "/series/none"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Back to the timeline" in response.text


def test_about_page(client: Any, seeded: Database) -> None:
    html = client.get("/about").text
    assert "It holds 7 events." in html
    assert "awaiting confirmation" in html
