"""Full-text search (`q`): names and aliases of actors and places, prefixes, relevance, and
no input that can break the query."""

from __future__ import annotations

from typing import Any

from app.core.database import Database
from app.events import listing
from app.events.listing import EventFilters
from tests.support.factory import Factory


def _search(client: Any, q: str, **params: Any) -> list[str]:
    response = client.get("/api/v1/events", params={"q": q, "limit": 500, **params})
    assert response.status_code == 200, response.text
    return [item["slug"] for item in response.json()["items"]]


def test_an_alias_of_a_place_finds_its_events(
    client: Any, database: Database, make: Factory
) -> None:
    kyiv = make.place(name="Kyiv", aliases=["Kiev"])
    in_kyiv = make.event(title="Press conference", place=kyiv)
    make.event(title="Press conference elsewhere")
    assert _search(client, "Kiev") == [in_kyiv]
    assert _search(client, "kyiv") == [in_kyiv]


def test_a_spelling_of_a_name_finds_the_person(client: Any, seeded: Database) -> None:
    zelensky = _search(client, "Zelensky")
    assert "zelenskyy-evening-address-2026-01-26" in zelensky
    assert "zelenskyy-evening-address-2026-01-26" in _search(client, "Zelenskiy")
    peskov = _search(client, "Peskov")
    assert "peskov-next-round-next-week-2026-01-26" in peskov
    assert "witkoff-davos-a-lot-of-progress" not in peskov


def test_quotes_bodies_and_summaries_are_searched(
    client: Any, database: Database, make: Factory
) -> None:
    quoted = make.event(
        sources=[
            {"url": "https://example.org/q", "publisher": "Wire", "quote": "a memorandum exists"}
        ]
    )
    in_body = make.event(body="The parties discussed the grain corridor.")
    in_summary = make.event(summary="Prisoner exchange agreed.")
    make.event(title="Unrelated")
    assert _search(client, "memorandum") == [quoted]
    assert _search(client, "corridor") == [in_body]
    assert _search(client, "prisoner exchange") == [in_summary]
    # Every word must match; each as a prefix.
    assert _search(client, "prisoner corridor") == []
    assert _search(client, "memorand") == [quoted]


def test_diacritics_do_not_matter(client: Any, database: Database, make: Factory) -> None:
    accented = make.event(title="Réunion à Genève")
    plain = make.event(title="Geneve summit")
    assert _search(client, "geneve") == [accented, plain]
    assert _search(client, "Genève") == [accented, plain]


def test_any_input_is_a_search_never_an_error(client: Any, seeded: Database) -> None:
    for q in [
        '"',
        "'",
        "AND",
        "OR NOT",
        "NEAR(a b)",
        "title:kyiv",
        "a*",
        "(",
        "*",
        "-peskov",
        "!!!",
        "peskov & | !",
        "🙂",
        "Путин",
        "x" * 500,
        "a " * 200,
    ]:
        response = client.get("/api/v1/events", params={"q": q})
        assert response.status_code == 200, (q, response.text)
        relevance = client.get("/api/v1/events", params={"q": q, "order": "relevance"})
        assert relevance.status_code == 200, (q, relevance.text)


def test_relevance_order_pages_through_every_match_once(
    client: Any, database: Database, make: Factory
) -> None:
    strong = make.event(title="Ceasefire ceasefire ceasefire", summary="ceasefire")
    for n in range(7):
        make.event(title=f"Talks {n}", body="a ceasefire was mentioned once among other words")
    make.event(title="No match here")
    first = client.get("/api/v1/events", params={"q": "ceasefire", "order": "relevance"})
    assert first.json()["items"][0]["slug"] == strong

    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"q": "ceasefire", "order": "relevance", "limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/v1/events", params=params).json()
        seen += [item["slug"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen[0] == strong
    assert len(seen) == len(set(seen)) == 8


def test_search_combines_with_filters_and_date_order(
    client: Any, database: Database, make: Factory
) -> None:
    earlier = make.event(title="Ceasefire talks", kind="talks")  # the factory counts days up
    later = make.event(title="Ceasefire call", kind="call")
    assert _search(client, "ceasefire") == [earlier, later]
    assert _search(client, "ceasefire", order="desc") == [later, earlier]
    assert _search(client, "ceasefire", kind="talks") == [earlier]


def test_renaming_an_actor_or_place_updates_search(
    client: Any, database: Database, make: Factory, auth: dict[str, str]
) -> None:
    person = make.actor(name="Ann Example")
    place = make.place(name="Old Town")
    event = make.event(participants=[{"actor": person, "role": "speaker"}], place=place)
    assert _search(client, "Example") == [event]

    renamed = client.patch(
        f"/api/v1/actors/{person}", json={"name": "Ann Sample", "aliases": ["A. S."]}, headers=auth
    )
    assert renamed.status_code == 200
    assert _search(client, "Example") == []
    assert _search(client, "Sample") == [event]

    client.patch(f"/api/v1/places/{place}", json={"aliases": ["Vieille Ville"]}, headers=auth)
    assert _search(client, "Vieille") == [event]
    # Re-indexing is not an edit: the event keeps its version.
    assert client.get(f"/api/v1/events/{event}").json()["version"] == 1


def test_the_service_filter_is_what_the_pages_use(database: Database, make: Factory) -> None:
    found = make.event(title="Zaporizhzhia plant")
    make.event(title="Something else")
    with database.session() as session:
        page = listing.list_events(session, filters=EventFilters(q="zaporizhzhia"))
        assert [e.slug for e in page.items] == [found]


def test_native_script_names_find_their_events(client: Any, seeded: Database) -> None:
    """The seed names people and places in Ukrainian and Russian too, in either case."""
    for q in ("Путин", "путин", "ПУТІН"):
        assert "sybiha-interview-2026-01-27" in _search(client, q), q
    for q in ("Зеленський", "зеленский", "Зеленськ"):
        assert "zelenskyy-evening-address-2026-01-26" in _search(client, q), q
    for q in ("Песков", "песков", "Пєсков"):
        peskov = _search(client, q)
        assert "peskov-next-round-next-week-2026-01-26" in peskov, q
        assert "witkoff-davos-a-lot-of-progress" not in peskov, q
    assert _search(client, "Сибіга") == ["sybiha-interview-2026-01-27"]
    assert "abu-dhabi-talks-round-1" in _search(client, "Абу-Даби")


def test_original_quotes_are_searched(client: Any, database: Database, make: Factory) -> None:
    quoted = make.event(
        sources=[
            {
                "url": "https://example.org/original",
                "publisher": "Wire",
                "quote": "The talks were constructive.",
                "original_quote": "Переговори були конструктивними.",
                "original_language": "uk",
            }
        ]
    )
    make.event(title="Unrelated")
    assert _search(client, "конструктивн") == [quoted]
    assert _search(client, "ПЕРЕГОВОРИ") == [quoted]
    assert _search(client, "constructive") == [quoted]
