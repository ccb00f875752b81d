"""Every API error is problem+json naming what is wrong; bad input is a 4xx that stores
nothing, never a 500; the OpenAPI document lists every status an endpoint answers."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.database import Database
from app.users.deps import EditorDep
from tests.support.signing_in import make_user, sign_in

PROBLEM = "application/problem+json"

VALID = {"title": "A valid event", "kind": "meeting", "start_date": "2026-02-10"}


def _is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"]
    return body


def _event_count(client: Any) -> int:
    return len(client.get("/api/v1/events?limit=500&include_deleted=true").json()["items"])


BAD_EVENTS: list[tuple[str, Any, str]] = [
    ("wrong type", {**VALID, "title": 42}, "title"),
    ("wrong type of list", {**VALID, "tags": "territories"}, "tags"),
    ("unknown kind", {**VALID, "kind": "party"}, "kind"),
    ("unknown status", {**VALID, "status": "finished"}, "status"),
    ("not a date", {**VALID, "start_date": "tomorrow"}, "start_date"),
    ("impossible date", {**VALID, "start_date": "2026-02-30"}, "start_date"),
    ("end before start", {**VALID, "end_date": "2026-02-01"}, "end_date"),
    ("end time before start", {**VALID, "start_time": "10:00", "end_time": "09:00"}, "end_time"),
    ("unknown actor", {**VALID, "participants": [{"actor": "nobody"}]}, "actor"),
    ("unknown place", {**VALID, "place": "atlantis"}, "place"),
    ("unknown tag", {**VALID, "tags": ["no-such-tag"]}, "tags"),
    ("unknown linked event", {**VALID, "links": [{"kind": "related", "event": "nope"}]}, "event"),
    ("unknown role", {**VALID, "participants": [{"actor": "russia", "role": "king"}]}, "role"),
    ("over-long title", {**VALID, "title": "x" * 301}, "title"),
    ("NUL in title", {**VALID, "title": "a\u0000b"}, "title"),
    ("NUL in body", {**VALID, "body": "a\u0000b"}, "body"),
    ("NUL in slug", {**VALID, "slug": "a\u0000b"}, "slug"),
    ("NUL in time zone", {**VALID, "timezone": "Europe/\u0000Kyiv"}, "timezone"),
    ("bad time zone", {**VALID, "timezone": "Mars/Olympus"}, "timezone"),
    ("bad slug", {**VALID, "slug": "Not A Slug"}, "slug"),
    ("round without series", {**VALID, "round": 2}, "round"),
    ("huge round", {**VALID, "round": 10**30}, "round"),
    ("unknown field", {**VALID, "titel": "typo"}, "titel"),
    ("missing title", {"kind": "meeting", "start_date": "2026-02-10"}, "title"),
    ("not an object", [VALID], "body"),
    ("a string", "hello", "body"),
    ("null", None, "body"),
    ("bad source URL", {**VALID, "sources": [{"url": "ftp://x", "publisher": "p"}]}, "url"),
    ("year 0", {**VALID, "start_date": "0000-01-01"}, "start_date"),
]


@pytest.mark.parametrize(("case", "body", "field"), BAD_EVENTS, ids=[c[0] for c in BAD_EVENTS])
def test_bad_event_input_is_refused_naming_the_field(
    client: Any, seeded: Database, auth: dict[str, str], case: str, body: Any, field: str
) -> None:
    before = _event_count(client)
    response = client.post(
        "/api/v1/events",
        content=json.dumps(body),
        headers={**auth, "Content-Type": "application/json"},
    )
    problem = _is_problem(response, 422)
    assert any(field in map(str, error["loc"]) for error in problem["errors"]), problem
    assert _event_count(client) == before


def test_bad_patches_are_refused_and_change_nothing(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    url = "/api/v1/events/abu-dhabi-talks-round-1"
    before = client.get(url)
    headers = {**auth, "If-Match": before.headers["etag"]}
    for body, field in [
        ({"title": None}, "title"),
        ({"kind": None}, "kind"),
        ({"start_date": None}, "start_date"),
        ({"end_date": "2020-01-01"}, "end_date"),
        ({"participants": [{"actor": "nobody"}]}, "actor"),
        ({"links": [{"kind": "related", "event": "abu-dhabi-talks-round-1"}]}, "event"),
        ({"version": 9}, "version"),
    ]:
        problem = _is_problem(client.patch(url, json=body, headers=headers), 422)
        assert any(field in map(str, e["loc"]) for e in problem["errors"]), (body, problem)
    after = client.get(url)
    assert after.json() == before.json()


def test_bodies_that_are_not_json(client: Any, seeded: Database, auth: dict[str, str]) -> None:
    before = _event_count(client)
    broken = client.post(
        "/api/v1/events",
        content=b'{"title": "x",',
        headers={**auth, "Content-Type": "application/json"},
    )
    _is_problem(broken, 422)
    wrong_type = client.post(
        "/api/v1/events",
        content=b"title=x&kind=call",
        headers={**auth, "Content-Type": "application/x-www-form-urlencoded"},
    )
    _is_problem(wrong_type, 415)
    not_utf8 = client.post(
        "/api/v1/events",
        content=b'{"title": "\xff\xfe"}',
        headers={**auth, "Content-Type": "application/json"},
    )
    _is_problem(not_utf8, 400)
    deep = client.post(
        "/api/v1/events",
        content=b"[" * 100_000 + b"]" * 100_000,
        headers={**auth, "Content-Type": "application/json"},
    )
    _is_problem(deep, 422)
    empty = client.post(
        "/api/v1/events", content=b"", headers={**auth, "Content-Type": "application/json"}
    )
    _is_problem(empty, 422)
    assert _event_count(client) == before


def test_huge_bodies_are_refused_with_413(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    before = _event_count(client)
    huge = json.dumps({**VALID, "body": "x" * (2 * 1024 * 1024)}).encode()
    declared = client.post(
        "/api/v1/events", content=huge, headers={**auth, "Content-Type": "application/json"}
    )
    _is_problem(declared, 413)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(huge), 64 * 1024):
            yield huge[start : start + 64 * 1024]

    chunked = client.post(
        "/api/v1/events", content=chunks(), headers={**auth, "Content-Type": "application/json"}
    )
    _is_problem(chunked, 413)
    assert _event_count(client) == before


def test_nul_bytes_in_the_url(client: Any, seeded: Database) -> None:
    problem = _is_problem(client.get("/api/v1/events?q=a%00b"), 422)
    assert problem["errors"][0]["loc"] == ["query", "q"]
    _is_problem(client.get("/api/v1/events?actor=%00"), 422)
    _is_problem(client.get("/api/v1/events/abu%00dhabi"), 404)
    _is_problem(client.get("/api/v1/actors?q=%00"), 422)


def test_a_one_value_parameter_given_twice_is_refused(client: Any, seeded: Database) -> None:
    # Which of two searches a client meant cannot be known: the API says so.
    for url, name in [
        ("/api/v1/events?q=putin&q=witkoff", "q"),
        ("/api/v1/events.ics?from=2026-01-01&from=2026-02-01", "from"),
        ("/api/v1/actors?kind=person&kind=state", "kind"),
        ("/api/v1/timeline?start=2026-01-01&start=2026-02-01&end=2026-03-01", "start"),
    ]:
        problem = _is_problem(client.get(url), 422)
        assert problem["errors"][0]["loc"] == ["query", name], url
    # A list filter repeats, as documented, on the list and on the timeline alike.
    both = client.get("/api/v1/events?actor=russia&actor=ukraine&limit=500").json()["items"]
    one = client.get("/api/v1/events?actor=russia&limit=500").json()["items"]
    assert len(both) > len(one) > 0
    window = "/api/v1/timeline?start=2026-01-01&end=2027-01-01&lanes=none"
    assert (
        client.get(f"{window}&kind=talks&kind=statement").json()["total"]
        > client.get(f"{window}&kind=talks").json()["total"]
        > 0
    )


def test_404_405_and_500_are_problem_json(app: Any, client: Any, seeded: Database) -> None:
    _is_problem(client.get("/api/v1/nothing-here"), 404)
    _is_problem(client.get("/api/v1/actors/nobody"), 404)
    _is_problem(client.get("/api/v1/sources/99999999999"), 422)
    _is_problem(client.delete("/api/v1/events"), 405)
    _is_problem(client.post("/api/v1/events/abu-dhabi-talks-round-1"), 405)

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/v1/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as crashing:
        problem = _is_problem(crashing.get("/api/v1/boom"), 500)
    assert "a bug" not in json.dumps(problem)


def test_a_signed_in_editor_meets_a_500_as_a_page(app: Any, database: Database) -> None:
    def boom(editor: EditorDep) -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/boom", boom)
    name = make_user(database)
    with TestClient(app, raise_server_exceptions=False) as crashing:
        assert sign_in(crashing, name).status_code == 303
        page = crashing.get("/boom", headers={"Accept": "text/html"})
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert f"Sign out ({name})" in page.text and "a bug" not in page.text


def test_unauthorized_writes_store_nothing_on_any_entity(client: Any, seeded: Database) -> None:
    for url, body in [
        ("/api/v1/actors", {"name": "X", "kind": "person"}),
        ("/api/v1/places", {"name": "X"}),
        ("/api/v1/series", {"title": "X"}),
        ("/api/v1/tags", {"name": "X"}),
        ("/api/v1/sources", {"url": "https://example.org/x", "publisher": "X"}),
    ]:
        _is_problem(client.post(url, json=body), 401)
    assert all(a["name"] != "X" for a in client.get("/api/v1/actors").json()["items"])


# --- the OpenAPI document -------------------------------------------------------------------


def _operation(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    operation: dict[str, Any] = spec["paths"][path][method]
    return operation


def test_openapi_documents_each_status_with_a_problem_body(client: Any, database: Database) -> None:
    spec = client.get("/openapi.json").json()
    assert "Problem" in spec["components"]["schemas"]
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert "500" in codes, (method, path)
            for code, answer in operation["responses"].items():
                if int(code) >= 400:
                    schema = answer["content"]["application/problem+json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Problem"}, (method, path, code)
            if method in ("post", "put", "patch", "delete"):
                assert {"401", "422"} <= codes, (method, path)
    patch = _operation(spec, "patch", "/api/v1/events/{slug}")
    assert {"200", "401", "404", "410", "412", "413", "415", "422", "428"} <= set(
        patch["responses"]
    )
    detail = _operation(spec, "get", "/api/v1/events/{slug}")
    assert {"200", "304", "404", "410"} <= set(detail["responses"])
    params = {p["name"] for p in _operation(spec, "get", "/api/v1/events")["parameters"]}
    assert params >= {
        "from",
        "to",
        "kind",
        "status",
        "actor",
        "place",
        "series",
        "tag",
        "q",
        "updated_since",
        "include_deleted",
        "order",
        "limit",
        "cursor",
    }


def test_every_answer_seen_here_is_documented(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    """Drive each endpoint into its answers and check the document lists them."""
    spec = client.get("/openapi.json").json()
    etag = client.get("/api/v1/events/abu-dhabi-talks-round-1").headers["etag"]
    calls = [
        ("get", "/api/v1/events", "/api/v1/events?limit=0", {}, None),
        ("get", "/api/v1/events/{slug}", "/api/v1/events/nope", {}, None),
        (
            "get",
            "/api/v1/events/{slug}",
            "/api/v1/events/abu-dhabi-talks-round-1",
            {"If-None-Match": etag},
            None,
        ),
        ("post", "/api/v1/events", "/api/v1/events", {}, VALID),
        ("post", "/api/v1/events", "/api/v1/events", auth, {"title": 1}),
        (
            "patch",
            "/api/v1/events/{slug}",
            "/api/v1/events/abu-dhabi-talks-round-1",
            auth,
            {"title": "x"},
        ),
        (
            "patch",
            "/api/v1/events/{slug}",
            "/api/v1/events/abu-dhabi-talks-round-1",
            {**auth, "If-Match": '"abu-dhabi-talks-round-1-v99"'},
            {"title": "x"},
        ),
        ("put", "/api/v1/events/{slug}", "/api/v1/events/nope", {**auth, "If-Match": "*"}, VALID),
        ("delete", "/api/v1/events/{slug}", "/api/v1/events/abu-dhabi-talks-round-1", auth, None),
        (
            "get",
            "/api/v1/events/{slug}/revisions/{version}",
            "/api/v1/events/abu-dhabi-talks-round-1/revisions/99",
            {},
            None,
        ),
        (
            "post",
            "/api/v1/events/{slug}/revisions/{version}/restore",
            "/api/v1/events/abu-dhabi-talks-round-1/revisions/99/restore",
            auth,
            None,
        ),
        ("get", "/api/v1/actors/{slug}", "/api/v1/actors/nobody", {}, None),
        ("patch", "/api/v1/places/{slug}", "/api/v1/places/nowhere", auth, {"name": "x"}),
        ("post", "/api/v1/sources", "/api/v1/sources", auth, {"url": "not a url"}),
    ]
    for method, template, url, headers, body in calls:
        response = client.request(method, url, headers=headers, json=body)
        documented = set(_operation(spec, method, template)["responses"])
        assert str(response.status_code) in documented, (method, url, response.status_code)


ODD_VALUES: list[Any] = [
    "",
    "-1",
    "99999999999999999999",
    "1e400",
    "nan",
    "2026-02-30",
    "2026-01-01T25:00",
    "\u202e",
    "%25",
    "'; drop table event; --",
    "a" * 3000,
    "💥",
    "\\",
    '"',
    "NEAR(",
    "1970-01-01T00:00:00+99:00",
    True,
    None,
    [],
    {},
    -(10**20),
    1.5,
    [{"actor": "x"}],
]
PARAMETERS = ["from", "to", "kind", "status", "actor", "q", "updated_since", "order", "limit"]
FIELDS = ["title", "name", "kind", "start_date", "aliases", "latitude", "url", "round"]
FIELDS += ["participants", "sources", "tags", "links", "affiliation", "timezone", "language"]
WRITES = [
    ("PATCH", "/api/v1/actors/russia"),
    ("PATCH", "/api/v1/places/kyiv"),
    ("PATCH", "/api/v1/tags/territories"),
    ("PATCH", "/api/v1/sources/1"),
    ("PATCH", "/api/v1/events/abu-dhabi-talks-round-2"),
    ("POST", "/api/v1/events"),
    ("POST", "/api/v1/places"),
]


def test_random_odd_input_is_never_a_500(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    rnd = random.Random(2026)
    failures = []
    for _ in range(60):
        params = {rnd.choice(PARAMETERS): str(rnd.choice(ODD_VALUES)) for _ in range(2)}
        response = client.get("/api/v1/events", params=params)
        if response.status_code >= 500:
            failures.append(("GET", params))
        segment = str(rnd.choice(ODD_VALUES))
        for url in (f"/api/v1/events/{segment}", f"/api/v1/sources/{segment}"):
            if client.get(url).status_code >= 500:
                failures.append(("GET", url))
        body = {rnd.choice(FIELDS): rnd.choice(ODD_VALUES) for _ in range(3)}
        for method, url in WRITES:
            response = client.request(method, url, json=body, headers={**auth, "If-Match": "*"})
            if response.status_code >= 500:
                failures.append((method, url, body))
    assert failures == []
