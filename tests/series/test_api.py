"""Series over the API: a thread of rounds."""

from __future__ import annotations

from typing import Any

from app.core.database import Database


def test_create_change_and_list_a_series(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    series = client.post("/api/v1/series", json={"title": "Geneva format"}, headers=auth)
    assert series.status_code == 201
    assert series.headers["location"] == "/api/v1/series/geneva-format"
    renamed = client.patch(
        "/api/v1/series/geneva-format", json={"description": "Talks in Geneva"}, headers=auth
    )
    assert renamed.json()["description"] == "Talks in Geneva"
    assert "geneva-format" in [s["slug"] for s in client.get("/api/v1/series").json()["items"]]
