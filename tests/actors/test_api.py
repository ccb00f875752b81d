"""Actors over the API: found by name or alias, created and changed."""

from __future__ import annotations

from typing import Any

from app.core.database import Database


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
