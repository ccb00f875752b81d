"""The first read API over the seed timeline."""

from __future__ import annotations

from typing import Any

from app.db import Database


def test_list_is_chronological_with_nested_records(client: Any, seeded: Database) -> None:
    response = client.get("/api/v1/events")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["start_date"] for i in items] == sorted(i["start_date"] for i in items)
    round_1 = next(i for i in items if i["slug"] == "abu-dhabi-talks-round-1")
    assert round_1["place"]["name"] == "Abu Dhabi"
    assert round_1["series"]["slug"] == "abu-dhabi-trilateral-talks"
    assert {p["actor"]["slug"] for p in round_1["participants"]} >= {
        "russia",
        "ukraine",
        "united-states",
    }
    assert any(
        s["quote"] == "significant work ahead" and s["speaker"]["slug"] == "dmitry-peskov"
        for s in round_1["sources"]
    )


def test_detail_has_an_etag_and_unknown_is_problem_json(client: Any, seeded: Database) -> None:
    response = client.get("/api/v1/events/abu-dhabi-talks-round-2")
    assert response.status_code == 200
    assert response.headers["etag"]
    assert response.json()["awaiting_confirmation"] is True

    missing = client.get("/api/v1/events/no-such-event")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["status"] == 404


def test_healthz(client: Any, database: Database) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
