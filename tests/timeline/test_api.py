"""The timeline's window endpoint: items for a window, counts when it holds too many."""

from __future__ import annotations

from typing import Any

from app.core.database import Database
from app.timeline import service
from tests.support import bulk


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


def test_counted_windows_read_the_month_tallies_as_a_count_would_say(
    client: Any, seeded: Database, database: Database, auth: dict[str, str]
) -> None:
    """Unfiltered, a counted window reads the month tallies; filtered, it counts the events.
    A filter that keeps every event gives the same buckets, lane for lane, after writes too."""
    bulk.fill(database, service.MAX_ITEMS + 100, days=730)
    # A write through the API moves a seed event into the window, with another kind.
    client.patch(
        "/api/v1/events/abu-dhabi-talks-round-1",
        headers={**auth, "If-Match": "*"},
        json={"start_date": "1991-06-15", "end_date": None, "kind": "agreement"},
    ).raise_for_status()
    for lanes in ("party", "kind", "none"):
        for years in (("1989", "1993"), ("1980", "2000")):
            window = {"start": f"{years[0]}-01-01", "end": f"{years[1]}-01-01", "lanes": lanes}
            kept = client.get("/api/v1/timeline", params=window).json()
            counted = client.get("/api/v1/timeline", params={**window, "from": "1000-01-01"})
            assert kept["aggregated"] and kept["granularity"] in ("month", "year")
            assert kept["buckets"] == counted.json()["buckets"], (lanes, years)
            assert kept["groups"] == counted.json()["groups"]


def test_an_empty_window_names_the_nearest_events_on_each_side(
    client: Any, seeded: Database
) -> None:
    gap = client.get(
        "/api/v1/timeline", params={"start": "2026-01-29", "end": "2026-01-31", "lanes": "party"}
    ).json()
    assert gap["total"] == 0 and gap["items"] == []
    assert gap["before"]["slug"] == "kremlin-announces-round-2"
    assert gap["before"]["date_label"] == "Jan 28, 2026"
    assert gap["after"]["slug"] == "abu-dhabi-talks-round-2"
    assert gap["after"]["start"] == "2026-02-01"
    # Far after every event: only what came before; the filters still hold.
    late = client.get(
        "/api/v1/timeline",
        params={"start": "2026-11-01", "end": "2026-12-31", "kind": "talks"},
    ).json()
    assert late["after"] is None
    assert late["before"]["slug"] == "abu-dhabi-talks-round-2"
    assert late["before"]["title"] == "Second round of trilateral talks in Abu Dhabi"
    early = client.get(
        "/api/v1/timeline", params={"start": "2025-01-01", "end": "2025-02-01", "kind": "talks"}
    ).json()
    assert early["before"] is None
    assert early["after"]["slug"] == "abu-dhabi-talks-round-1"
    assert early["after"]["end"] == "2026-01-24"
    # A window with events does not look further.
    full = client.get(
        "/api/v1/timeline", params={"start": "2026-01-01", "end": "2026-03-01"}
    ).json()
    assert full["before"] is None and full["after"] is None


def test_the_schema_documents_the_nearest_events(client: Any) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    window = schema["TimelineWindow"]["properties"]
    assert {"before", "after"} <= set(window)
    assert set(schema["NearestEvent"]["required"]) >= {"slug", "title", "start", "date_label"}
