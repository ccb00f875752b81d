"""Tags over the API."""

from __future__ import annotations

from typing import Any

from app.core.database import Database


def test_create_and_rename_a_tag(client: Any, seeded: Database, auth: dict[str, str]) -> None:
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
