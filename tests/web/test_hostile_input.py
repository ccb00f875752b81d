"""Hostile input answers a 4xx naming what is wrong, never a 5xx, on both databases: dates at
the ends of the calendar, cursors that were never given out, NUL bytes, over-long text, and
values of the wrong JSON type."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any

import icalendar

from app.core.database import Database


def _cursor(raw: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


#: (path, the status, the loc an API problem names): reads anyone can send.
READS = [
    ("/api/v1/events?to=9999-12-31", 200, None),
    ("/api/v1/events?from=0001-01-01&to=9999-12-31", 200, None),
    ("/?to=9999-12-31", 200, None),
    ("/?from=0001-01-01", 200, None),
    ("/api/v1/timeline?start=0001-01-01&end=0001-01-02", 200, None),
    ("/api/v1/timeline?start=9999-12-30&end=9999-12-31", 200, None),
    ("/api/v1/events?cursor=" + _cursor(["2026-01-01T00:00:00", 2**63, "asc"]), 422, "cursor"),
    (
        "/api/v1/events?cursor=" + _cursor(["2026-01-01T00:00:00", -(2**63) - 1, "asc"]),
        422,
        "cursor",
    ),
    # Past what the id column holds on PostgreSQL (INTEGER), which would refuse it with a 500.
    ("/api/v1/events?cursor=" + _cursor(["2026-01-01T00:00:00", 2**31, "asc"]), 422, "cursor"),
    ("/?cursor=" + _cursor(["2026-01-01T00:00:00", 2**31, "asc"]), 422, None),
    ("/actors/russia?cursor=" + _cursor(["2026-01-01T00:00:00", 2**31, "asc"]), 422, None),
    ("/api/v1/events?cursor=" + _cursor(["2026-01-01T00:00:00", True, "asc"]), 422, "cursor"),
    ("/api/v1/events?cursor=" + _cursor(["0001-01-01T00:00:00+05:00", 1, "asc"]), 422, "cursor"),
    ("/api/v1/events?cursor=" + _cursor([None, 1, "asc"]), 422, "cursor"),
    (
        "/api/v1/events?q=talks&order=relevance&cursor=" + _cursor([1e308, 1, "relevance"]),
        200,
        None,
    ),
    ("/api/v1/events?updated_since=0.5", 422, "updated_since"),
    ("/api/v1/events?limit=1.0", 422, "limit"),
    ("/api/v1/events?limit=1_0", 422, "limit"),
    ("/api/v1/events?include_deleted=yes", 422, "include_deleted"),
    ("/api/v1/events/abu-dhabi-talks-round-1/revisions/1.0", 422, "version"),
    ("/api/v1/timeline?end=2026-02-01", 422, "start"),
    ("/api/v1/timeline?start=2026-01-01&end=2026-02-01&lanes=sideways", 422, "lanes"),
    ("/api/v1/timeline?start=2026-01-01&end=2026-02-01&from=soon", 422, "from"),
    ("/api/v1/events?updated_since=9999-12-31T23:59:59-10:00", 422, "updated_since"),
    ("/api/v1/events?updated_since=0001-01-01T00:00:00+05:00", 422, "updated_since"),
    ("/api/v1/events?from=0", 422, "from"),
    ("/api/v1/events?actor=abc%00", 422, "actor"),
    ("/api/v1/events?actor=" + "a" * 5000, 422, "actor"),
    ("/api/v1/actors/abc%00", 404, "path"),
    ("/actors/abc%00", 404, None),
    ("/places/abc%00", 404, None),
    ("/series/abc%00", 404, None),
    ("/events/x%00", 404, None),
    ("/events/x%00/history", 404, None),
    ("/?actor=abc%00", 422, None),
    ("/?q=abc%00", 422, None),
    ("/?q=" + "a" * 5000, 200, None),
]


def _fault(answer: Any, status: int, loc: str | None, api: bool) -> str | None:
    """What is wrong with an answer to hostile input, or None."""
    if answer.status_code != status:
        return f"{answer.status_code}: {answer.text[:200]}"
    if status < 400:
        return None
    kind = answer.headers["content-type"]
    if api:
        names = [part for error in answer.json().get("errors", []) for part in error["loc"]]
        if not kind.startswith("application/problem+json") or loc not in names:
            return f"{kind} names {names}, not {loc}"
    elif not kind.startswith("text/html"):
        return f"a page answered {kind}"
    return None


def test_hostile_reads_answer_4xx_naming_the_fault(client: Any, seeded: Database) -> None:
    # One test over every case, so the seed timeline is loaded once per database.
    faults = {
        path[:80]: fault
        for path, status, loc in READS
        if (fault := _fault(client.get(path), status, loc, path.startswith("/api/")))
    }
    assert faults == {}


SERIES = "/api/v1/series/abu-dhabi-trilateral-talks"
EVENT = {"title": "A call", "kind": "call", "status": "held", "start_date": "2026-03-01"}

#: (method, path, body, the field named in the 422).
WRITES = [
    ("PATCH", SERIES, {"title": "a" * 5000}, "title"),
    ("PATCH", SERIES, {"title": "nul\x00byte"}, "title"),
    ("PATCH", SERIES, {"title": 12}, "title"),
    ("POST", "/api/v1/events", {**EVENT, "start_time": "23:43:06+20:53"}, "start_time"),
    ("POST", "/api/v1/events", {**EVENT, "start_time": "23:43:06Z"}, "start_time"),
    ("POST", "/api/v1/events", {**EVENT, "start_time": 3600}, "start_time"),
    ("POST", "/api/v1/events", {**EVENT, "start_date": 0}, "start_date"),
    ("POST", "/api/v1/events", {**EVENT, "start_date": "0001-01-01T00:00"}, "start_date"),
    ("POST", "/api/v1/events", {**EVENT, "date_approximate": 1}, "date_approximate"),
    ("POST", "/api/v1/events", {**EVENT, "body": "x" * 100_001}, "body"),
    ("POST", "/api/v1/places", {"name": "Nowhere", "longitude": False}, "longitude"),
    ("POST", "/api/v1/places", {"name": "Nowhere", "latitude": "1"}, "latitude"),
    (
        "POST",
        "/api/v1/sources",
        {"url": "https://example.org/a", "publisher": "P", "published_on": 0},
        "published_on",
    ),
]


def test_hostile_writes_answer_422_naming_the_field(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    headers = {**auth, "If-Match": "*"}
    faults = {
        f"{method} {path} {str(body)[:60]}": fault
        for method, path, body, field in WRITES
        if (
            fault := _fault(
                client.request(method, path, json=body, headers=headers), 422, field, True
            )
        )
    }
    assert faults == {}


def test_a_participant_without_a_role_takes_part_as_a_party(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    patched = client.patch(
        "/api/v1/events/abu-dhabi-talks-round-1",
        json={"participants": [{"actor": "russia"}]},
        headers={**auth, "If-Match": "*"},
    )
    assert patched.status_code == 200, patched.text
    assert [(p["actor"]["slug"], p["role"]) for p in patched.json()["participants"]] == [
        ("russia", "party")
    ]


def test_texts_as_long_as_the_api_takes_are_kept(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    # Each at the longest its write takes: PostgreSQL's columns once held less.
    for method, path, body in (
        ("PATCH", SERIES, {"title": "s" * 300}),
        ("POST", "/api/v1/actors", {"name": "Long title", "kind": "person", "title": "t" * 500}),
        ("POST", "/api/v1/places", {"name": "Far", "country": "c" * 200}),
    ):
        answer = client.request(method, path, json=body, headers={**auth, "If-Match": "*"})
        assert answer.status_code in (200, 201), (path, answer.text)


def test_a_form_with_a_nul_in_its_text_is_refused(client: Any, seeded: Database) -> None:
    login = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', login)
    assert token
    answer = client.post(
        "/login",
        data={"username": "al\x00ice", "password": "x", "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 422
    assert "NUL" in answer.text and answer.headers["content-type"].startswith("text/html")


def test_the_ends_of_the_calendar_are_dates_like_any_other(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    for day, window in (
        ("0001-01-01", "start=0001-01-01&end=0001-01-02"),
        ("9999-12-31", "start=9999-12-01&end=9999-12-31"),
    ):
        made = client.post(
            "/api/v1/events", json={**EVENT, "start_date": day, "start_time": "23:59"}, headers=auth
        )
        assert made.status_code == 201, made.text
        assert made.json()["start_time"] == "23:59:00"
        # A window ending on the calendar's last day shows that day's event too.
        shown = client.get(f"/api/v1/timeline?{window}").json()
        assert made.json()["slug"] in [item["slug"] for item in shown["items"]], window
        for path in (
            f"/api/v1/events?from={day}&to={day}",
            f"/api/v1/timeline?{window}",
            f"/?from={day}&to={day}",
            f"/events/{made.json()['slug']}",
        ):
            assert client.get(path).status_code == 200, path
    # A whole day, a month and a year that end with the calendar: the exports still finish.
    for precision in ("day", "month", "year"):
        made = client.post(
            "/api/v1/events",
            json={**EVENT, "start_date": "9999-12-01", "date_precision": precision},
            headers=auth,
        )
        assert made.status_code == 201, made.text
    calendar = icalendar.Calendar.from_ical(client.get("/api/v1/events.ics").content)
    last = [e for e in calendar.walk("VEVENT") if e.decoded("DTSTART") == dt.date(9999, 12, 1)]
    assert len(last) == 3
    assert sorted(e.decoded("DURATION").days for e in last if "DURATION" in e) == [31, 31]
    assert client.get("/api/v1/events.csv").status_code == 200
