"""Places over the API."""

from __future__ import annotations

from typing import Any

from app.core.database import Database


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
