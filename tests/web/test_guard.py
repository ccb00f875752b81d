"""HTTP courtesies of the API: HEAD, conditional GET, CORS for other sites' dashboards."""

from __future__ import annotations

from typing import Any

from app.core.database import Database


def test_head_answers_like_get_without_a_body(client: Any, seeded: Database) -> None:
    get = client.get("/api/v1/events/abu-dhabi-talks-round-1")
    head = client.head("/api/v1/events/abu-dhabi-talks-round-1")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == get.headers["content-length"]
    missing = client.head("/api/v1/events/nope")
    assert missing.status_code == 404 and missing.content == b""


def test_cors_lets_other_sites_read_and_see_the_headers(client: Any, seeded: Database) -> None:
    origin = {"Origin": "https://dashboard.example"}
    listed = client.get("/api/v1/events?limit=2", headers=origin)
    assert listed.headers["access-control-allow-origin"] == "*"
    exposed = listed.headers["access-control-expose-headers"].lower()
    assert "etag" in exposed and "link" in exposed
    preflight = client.options(
        "/api/v1/events/abu-dhabi-talks-round-1",
        headers={
            **origin,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, if-match, content-type",
        },
    )
    assert preflight.status_code == 200
    assert "PATCH" in preflight.headers["access-control-allow-methods"]
    # Pages are not shared with other sites.
    page = client.get("/docs", headers=origin)
    assert "access-control-allow-origin" not in page.headers
