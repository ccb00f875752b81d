"""The timeline's window endpoint: items for a window, counts when it holds too many."""

from __future__ import annotations

from typing import Any

from app.core.database import Database
from app.timeline import bulk, service


def test_window_answers_the_seed_events_with_lanes_by_side(client: Any, seeded: Database) -> None:
    response = client.get(
        "/api/v1/timeline", params={"start": "2026-01-01", "end": "2026-03-01", "lanes": "party"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["aggregated"] is False
    assert data["total"] == 7
    by_slug = {item["slug"]: item for item in data["items"]}
    assert by_slug["peskov-next-round-next-week-2026-01-26"]["lane"] == "russia"
    assert by_slug["abu-dhabi-talks-round-1"]["lane"] == "joint"
    assert by_slug["abu-dhabi-talks-round-1"]["end"] == "2026-01-24"
    assert by_slug["abu-dhabi-talks-round-2"]["awaiting_confirmation"] is True
    assert by_slug["abu-dhabi-talks-round-2"]["display_status"] == "awaiting confirmation"
    assert {"russia", "ukraine", "joint"} <= {lane["id"] for lane in data["groups"]}


def test_window_applies_filters_and_bounds(client: Any, seeded: Database) -> None:
    data = client.get(
        "/api/v1/timeline",
        params={"start": "2026-01-25", "end": "2026-01-28", "lanes": "kind", "kind": "statement"},
    ).json()
    assert [item["slug"] for item in data["items"]] == [
        "zelenskyy-evening-address-2026-01-26",
        "peskov-next-round-next-week-2026-01-26",
        "sybiha-interview-2026-01-27",
    ]
    assert data["groups"] == [{"id": "statement", "name": "Statement"}]
    # A range that began before the window still shows in it.
    overlap = client.get(
        "/api/v1/timeline", params={"start": "2026-01-24", "end": "2026-01-25", "lanes": "none"}
    ).json()
    assert [item["slug"] for item in overlap["items"]] == ["abu-dhabi-talks-round-1"]
    assert overlap["items"][0]["lane"] is None


def test_bad_windows_are_named(client: Any, seeded: Database) -> None:
    response = client.get("/api/v1/timeline", params={"start": "2026-02-01", "end": "2026-01-01"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {tuple(e["loc"]) for e in response.json()["errors"]} == {("query", "end")}
    missing = client.get("/api/v1/timeline", params={"lanes": "sideways"}).json()
    assert {e["loc"][1] for e in missing["errors"]} == {"start", "end", "lanes"}


def test_crowded_windows_are_counted_per_period(
    client: Any, seeded: Database, database: Database
) -> None:
    bulk.fill(database, service.MAX_ITEMS + 100, days=730)
    wide = client.get(
        "/api/v1/timeline", params={"start": "1989-01-01", "end": "1993-01-01", "lanes": "party"}
    ).json()
    assert wide["aggregated"] is True
    assert wide["granularity"] == "month"
    assert wide["items"] == []
    assert sum(b["count"] for b in wide["buckets"]) == wide["total"] == service.MAX_ITEMS + 100
    assert {b["lane"] for b in wide["buckets"]} <= {g["id"] for g in wide["groups"]}
    narrow = client.get(
        "/api/v1/timeline", params={"start": "1990-03-01", "end": "1990-03-15", "lanes": "none"}
    ).json()
    assert narrow["aggregated"] is False
    assert 0 < len(narrow["items"]) < service.MAX_ITEMS
