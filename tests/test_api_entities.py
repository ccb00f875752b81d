"""The reference records over the API: actors, places, series, tags and sources."""

from __future__ import annotations

from typing import Any

from app.db import Database


def test_actors_are_found_by_name_or_alias(client: Any, seeded: Database) -> None:
    def names(q: str) -> list[str]:
        response = client.get("/api/v1/actors", params={"q": q})
        assert response.status_code == 200
        return [actor["slug"] for actor in response.json()["items"]]

    assert "volodymyr-zelenskyy" in names("Zelensky")
    assert "volodymyr-zelenskyy" in names("zelenskiy")
    assert names("Peskov") == ["dmitry-peskov"]
    assert names("no such person") == []
    states = client.get("/api/v1/actors", params={"kind": "state"}).json()["items"]
    assert {a["slug"] for a in states} >= {"russia", "ukraine"}
    peskov = client.get("/api/v1/actors/dmitry-peskov").json()
    assert peskov["affiliation"]["slug"] == "russia"
    assert "Peskov" in peskov["aliases"]


def test_create_and_change_an_actor(client: Any, seeded: Database, auth: dict[str, str]) -> None:
    created = client.post(
        "/api/v1/actors",
        json={"name": "Rustem Umerov", "kind": "person", "affiliation": "ukraine"},
        headers=auth,
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/actors/rustem-umerov"
    assert created.json()["affiliation"]["slug"] == "ukraine"

    changed = client.patch(
        "/api/v1/actors/rustem-umerov",
        json={"title": "Secretary of the National Security Council", "aliases": ["Umerov"]},
        headers=auth,
    )
    assert changed.status_code == 200
    assert changed.json()["aliases"] == ["Umerov"]
    assert changed.json()["name"] == "Rustem Umerov"

    taken = client.post(
        "/api/v1/actors", json={"slug": "russia", "name": "X", "kind": "state"}, headers=auth
    )
    assert taken.status_code == 422
    assert taken.json()["errors"][0]["loc"][-1] == "slug"
    unknown = client.post(
        "/api/v1/actors", json={"name": "Y", "kind": "person", "affiliation": "mars"}, headers=auth
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"][-1] == "affiliation"
    itself = client.patch(
        "/api/v1/actors/rustem-umerov", json={"affiliation": "rustem-umerov"}, headers=auth
    )
    assert itself.status_code == 422
    # A filter by the new actor's state finds events that name the actor.
    event = client.post(
        "/api/v1/events",
        json={
            "title": "Umerov in Abu Dhabi",
            "kind": "meeting",
            "start_date": "2026-02-04",
            "participants": [{"actor": "rustem-umerov", "role": "delegate"}],
        },
        headers=auth,
    ).json()["slug"]
    by_state = client.get("/api/v1/events", params={"actor": "ukraine"}).json()["items"]
    assert event in [e["slug"] for e in by_state]


def test_places(client: Any, seeded: Database, auth: dict[str, str]) -> None:
    assert [p["slug"] for p in client.get("/api/v1/places?q=kiev").json()["items"]] == ["kyiv"]
    created = client.post(
        "/api/v1/places",
        json={"name": "Istanbul", "country": "Türkiye", "timezone": "Europe/Istanbul"},
        headers=auth,
    )
    assert created.status_code == 201
    assert created.headers["location"] == "/api/v1/places/istanbul"
    changed = client.patch(
        "/api/v1/places/istanbul", json={"aliases": ["Constantinople"]}, headers=auth
    )
    assert changed.json()["aliases"] == ["Constantinople"]
    assert client.get("/api/v1/places/istanbul").json()["timezone"] == "Europe/Istanbul"
    bad = client.patch("/api/v1/places/istanbul", json={"latitude": 123}, headers=auth)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"][-1] == "latitude"


def test_series_and_tags(client: Any, seeded: Database, auth: dict[str, str]) -> None:
    series = client.post("/api/v1/series", json={"title": "Geneva format"}, headers=auth)
    assert series.status_code == 201
    assert series.headers["location"] == "/api/v1/series/geneva-format"
    renamed = client.patch(
        "/api/v1/series/geneva-format", json={"description": "Talks in Geneva"}, headers=auth
    )
    assert renamed.json()["description"] == "Talks in Geneva"
    assert "geneva-format" in [s["slug"] for s in client.get("/api/v1/series").json()["items"]]

    tag = client.post("/api/v1/tags", json={"name": "Prisoner exchange"}, headers=auth)
    assert tag.status_code == 201 and tag.json()["slug"] == "prisoner-exchange"
    assert (
        client.patch(
            "/api/v1/tags/prisoner-exchange", json={"name": "Prisoner exchanges"}, headers=auth
        ).json()["name"]
        == "Prisoner exchanges"
    )
    assert client.get("/api/v1/tags/prisoner-exchange").json()["name"] == "Prisoner exchanges"
    assert client.get("/api/v1/tags/nope").status_code == 404


def test_sources_by_id_with_unique_urls(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    body = {
        "url": "https://example.org/article",
        "publisher": "Example News",
        "published_on": "2026-01-28",
        "language": "en",
    }
    created = client.post("/api/v1/sources", json=body, headers=auth)
    assert created.status_code == 201, created.text
    source_id = created.json()["id"]
    assert created.headers["location"] == f"/api/v1/sources/{source_id}"
    again = client.post("/api/v1/sources", json=body, headers=auth)
    assert again.status_code == 422 and again.json()["errors"][0]["loc"][-1] == "url"

    found = client.get("/api/v1/sources", params={"url": body["url"]}).json()["items"]
    assert [s["id"] for s in found] == [source_id]
    changed = client.patch(
        f"/api/v1/sources/{source_id}", json={"title": "The article"}, headers=auth
    )
    assert changed.json()["title"] == "The article" and changed.json()["url"] == body["url"]
    assert client.get(f"/api/v1/sources/{source_id}").json()["publisher"] == "Example News"
    assert client.get("/api/v1/sources/999999").status_code == 404
