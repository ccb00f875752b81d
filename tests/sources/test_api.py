"""Sources over the API: by id, each URL once."""

from __future__ import annotations

from typing import Any

from app.core.database import Database


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
