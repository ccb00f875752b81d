"""The events API: reads with every filter and a keyset cursor, writes with tokens,
If-Match, revisions, tombstones and restore."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from app.core.database import Database
from app.events.models import Event
from tests.support.factory import Factory
from tests.support.statements import executed, values


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


# --- query ----------------------------------------------------------------------------------


def _slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["slug"] for item in response.json()["items"]]


def test_every_filter_narrows_the_list(client: Any, seeded: Database) -> None:
    get = client.get
    assert _slugs(get("/api/v1/events", params={"kind": "talks"})) == [
        "abu-dhabi-talks-round-1",
        "abu-dhabi-talks-round-2",
    ]
    assert _slugs(get("/api/v1/events", params={"status": "tentative"})) == [
        "abu-dhabi-talks-round-2"
    ]
    assert _slugs(get("/api/v1/events", params={"place": "davos"})) == [
        "witkoff-davos-a-lot-of-progress"
    ]
    assert "abu-dhabi-talks-round-2" in _slugs(
        get("/api/v1/events", params={"series": "abu-dhabi-trilateral-talks"})
    )
    window = _slugs(get("/api/v1/events", params={"from": "2026-01-26", "to": "2026-01-26"}))
    assert set(window) == {
        "zelenskyy-evening-address-2026-01-26",
        "peskov-next-round-next-week-2026-01-26",
    }
    # Repeated and comma-separated values both mean "any of them".
    repeated = _slugs(get("/api/v1/events?kind=talks&kind=call"))
    commas = _slugs(get("/api/v1/events?kind=talks,call"))
    assert repeated == commas and len(repeated) >= 2


def test_filtering_by_a_state_finds_its_people(client: Any, seeded: Database) -> None:
    by_russia = _slugs(client.get("/api/v1/events", params={"actor": "russia"}))
    assert "peskov-next-round-next-week-2026-01-26" in by_russia
    by_peskov = _slugs(client.get("/api/v1/events", params={"actor": "dmitry-peskov"}))
    assert set(by_peskov) <= set(by_russia)


def test_tag_filter(client: Any, database: Database, make: Factory) -> None:
    tag = make.tag(name="Territories")
    tagged = make.event(tags=[tag])
    make.event()
    assert _slugs(client.get("/api/v1/events", params={"tag": tag})) == [tagged]


def test_desc_order_and_limit(client: Any, seeded: Database) -> None:
    asc = _slugs(client.get("/api/v1/events", params={"limit": 500}))
    desc = _slugs(client.get("/api/v1/events", params={"order": "desc", "limit": 500}))
    assert desc == list(reversed(asc))


def test_cursor_walk_sees_every_event_once_while_events_are_added(
    client: Any, database: Database, make: Factory
) -> None:
    for day in range(1, 21):
        make.event(start_date=dt.date(2026, 3, day), title=f"Day {day}")
    seen: list[str] = []
    url: str | None = "/api/v1/events?limit=3"
    added = 0
    while url:
        response = client.get(url)
        page = response.json()
        seen += [item["slug"] for item in page["items"]]
        if added < 4:
            # One event before the walk's position (must not show up), one after (must).
            make.event(start_date=dt.date(2026, 2, 1), title=f"Early {added}")
            make.event(start_date=dt.date(2026, 4, 1 + added), title=f"Late {added}")
            added += 1
        if page["next_cursor"]:
            link = response.headers["link"]
            assert link.endswith('rel="next"')
            url = link[1 : link.index(">")]
            assert page["next_cursor"] in url
        else:
            assert "link" not in response.headers
            url = None
    assert len(seen) == len(set(seen)), "an event was listed twice"
    assert not any(slug.endswith(tuple(f"early-{n}" for n in range(4))) for slug in seen)
    assert sum("late-" in slug for slug in seen) == 4
    assert sum("day-" in slug for slug in seen) == 20
    dates = [client.get(f"/api/v1/events/{slug}").json()["start_date"] for slug in seen]
    assert dates == sorted(dates)


def test_bad_query_values_name_the_parameter(client: Any, seeded: Database) -> None:
    cases = {
        "kind=party": "kind",
        "status=done": "status",
        "from=2026-13-01": "from",
        "from=2026-02-01&to=2026-01-01": "to",
        "limit=0": "limit",
        "limit=501": "limit",
        "limit=ten": "limit",
        "order=sideways": "order",
        "cursor=not-a-cursor": "cursor",
        "actor=nobody-at-all": "actor",
        "place=atlantis": "place",
        "updated_since=yesterday": "updated_since",
        "q=" + "x" * 501: "q",
    }
    for query, name in cases.items():
        response = client.get(f"/api/v1/events?{query}")
        assert response.status_code == 422, query
        assert response.headers["content-type"].startswith("application/problem+json")
        assert any(error["loc"][-1] == name for error in response.json()["errors"]), query


def test_a_cursor_only_works_for_its_own_order(client: Any, seeded: Database) -> None:
    cursor = client.get("/api/v1/events?limit=2").json()["next_cursor"]
    assert client.get(f"/api/v1/events?limit=2&cursor={cursor}").status_code == 200
    assert client.get(f"/api/v1/events?limit=2&order=desc&cursor={cursor}").status_code == 422


# --- writes ---------------------------------------------------------------------------------

NEW_EVENT = {
    "title": "Round 3 announced",
    "kind": "statement",
    "status": "held",
    "start_date": "2026-02-03",
    "place": "abu-dhabi",
    "participants": [{"actor": "dmitry-peskov", "role": "speaker"}],
    "sources": [
        {
            "url": "https://example.org/round-3",
            "publisher": "Example Wire",
            "quote": "A third round is planned.",
            "speaker": "dmitry-peskov",
        }
    ],
    "tags": [],
    "links": [{"kind": "follows_up", "event": "abu-dhabi-talks-round-2"}],
}


def _create(client: Any, auth: dict[str, str], **fields: Any) -> Any:
    response = client.post("/api/v1/events", json={**NEW_EVENT, **fields}, headers=auth)
    assert response.status_code == 201, response.text
    return response


def test_create_answers_201_with_location_and_etag(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    response = _create(client, auth)
    slug = response.json()["slug"]
    assert response.headers["location"] == f"/api/v1/events/{slug}"
    assert response.headers["etag"] == f'"{slug}-v1"'
    fetched = client.get(response.headers["location"])
    assert fetched.json()["participants"][0]["actor"]["slug"] == "dmitry-peskov"
    assert fetched.json()["links"][0]["event"]["slug"] == "abu-dhabi-talks-round-2"
    assert fetched.headers["etag"] == response.headers["etag"]
    # A new event was made and last changed at the same moment.
    assert fetched.json()["created_at"] == fetched.json()["updated_at"]
    # The linked event shows the link back.
    back = client.get("/api/v1/events/abu-dhabi-talks-round-2").json()["linked_from"]
    assert any(link["event"]["slug"] == slug for link in back)


def test_writes_need_a_live_token(client: Any, seeded: Database, database: Database) -> None:
    from app.users import service as users

    def attempt(headers: dict[str, str]) -> Any:
        return client.post("/api/v1/events", json=NEW_EVENT, headers=headers)

    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = attempt(headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.headers["content-type"].startswith("application/problem+json")

    with database.session(write=True) as session:
        secret = users.create_token(session, name="newsroom")
    assert attempt({"Authorization": f"Bearer {secret}"}).status_code == 201
    with database.session(write=True) as session:
        token = next(t for t in users.get_tokens(session) if t.name == "newsroom")
        assert token.last_used_at is not None
        users.revoke_token(session, name="newsroom")
    assert attempt({"Authorization": f"Bearer {secret}"}).status_code == 401
    titles = [i["title"] for i in client.get("/api/v1/events?limit=500").json()["items"]]
    assert titles.count(NEW_EVENT["title"]) == 1


def test_update_needs_if_match_and_refuses_stale_versions(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    created = _create(client, auth)
    url = created.headers["location"]
    v1 = created.headers["etag"]

    missing = client.patch(url, json={"title": "No precondition"}, headers=auth)
    assert missing.status_code == 428
    assert missing.headers["content-type"].startswith("application/problem+json")

    first = client.patch(url, json={"title": "First edit"}, headers={**auth, "If-Match": v1})
    assert first.status_code == 200
    v2 = first.headers["etag"]
    assert v2.endswith('-v2"') and first.json()["version"] == 2

    stale = client.patch(url, json={"title": "Lost edit"}, headers={**auth, "If-Match": v1})
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert client.get(url).json()["title"] == "First edit"

    # Weak tags, lists and * are understood.
    weak = client.patch(url, json={"summary": "s"}, headers={**auth, "If-Match": f"W/{v2}"})
    assert weak.status_code == 200
    v3 = weak.headers["etag"]
    listed = client.patch(
        url, json={"summary": "t"}, headers={**auth, "If-Match": f'"other-v1", {v3}'}
    )
    assert listed.status_code == 200
    star = client.patch(url, json={"summary": "u"}, headers={**auth, "If-Match": "*"})
    assert star.status_code == 200
    other_event = client.patch(
        url, json={"summary": "v"}, headers={**auth, "If-Match": '"abu-dhabi-talks-round-1-v5"'}
    )
    assert other_event.status_code == 412


def test_put_replaces_the_whole_event(client: Any, seeded: Database, auth: dict[str, str]) -> None:
    created = _create(client, auth)
    url, tag = created.headers["location"], created.headers["etag"]
    replaced = client.put(
        url,
        json={"title": "Replaced", "kind": "call", "start_date": "2026-02-04"},
        headers={**auth, "If-Match": tag},
    )
    assert replaced.status_code == 200, replaced.text
    body = replaced.json()
    assert body["title"] == "Replaced" and body["place"] is None and body["participants"] == []
    assert (
        client.put(
            url, json={"title": "x", "kind": "call", "start_date": "2026-02-04"}, headers=auth
        ).status_code
        == 428
    )


def test_if_none_match_answers_304(client: Any, seeded: Database) -> None:
    first = client.get("/api/v1/events/abu-dhabi-talks-round-1")
    again = client.get(
        "/api/v1/events/abu-dhabi-talks-round-1", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.headers["etag"] == first.headers["etag"]


def test_revisions_record_who_when_why_and_restore_works(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    created = _create(client, auth, reason="first report")
    url = created.headers["location"]
    edited = client.patch(
        url,
        json={"title": "Round 3 confirmed"},
        headers={**auth, "If-Match": created.headers["etag"], "X-Parley-Reason": "confirmed"},
    )
    assert edited.status_code == 200

    history = client.get(f"{url}/revisions").json()["items"]
    assert [(r["version"], r["action"], r["author"], r["reason"]) for r in history] == [
        (1, "create", "tester", "first report"),
        (2, "update", "tester", "confirmed"),
    ]
    first = client.get(f"{url}/revisions/1").json()
    assert first["snapshot"]["title"] == "Round 3 announced"
    assert first["snapshot"]["participants"] == [{"actor": "dmitry-peskov", "role": "speaker"}]
    assert client.get(f"{url}/revisions/9").status_code == 404
    assert client.get(f"{url}/revisions/0").status_code == 422

    restored = client.post(f"{url}/revisions/1/restore", headers=auth)
    assert restored.status_code == 200, restored.text
    assert restored.json()["title"] == "Round 3 announced"
    assert restored.headers["etag"].endswith('-v3"')
    assert client.get(f"{url}/revisions").json()["items"][-1]["action"] == "restore"
    assert client.post(f"{url}/revisions/1/restore").status_code == 401


def test_delete_is_a_tombstone_that_sync_can_see(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    created = _create(client, auth)
    url, slug = created.headers["location"], created.json()["slug"]
    before = client.get("/api/v1/events").json()["items"][-1]["updated_at"]

    assert client.delete(url, headers=auth).status_code == 428
    assert client.delete(url, headers={**auth, "If-Match": '"x-v1"'}).status_code == 412
    deleted = client.delete(
        url, headers={**auth, "If-Match": created.headers["etag"], "X-Parley-Reason": "duplicate"}
    )
    assert deleted.status_code == 204

    gone = client.get(url)
    assert gone.status_code == 410
    assert gone.headers["content-type"].startswith("application/problem+json")
    assert gone.json()["event"]["title"] == NEW_EVENT["title"]
    assert slug not in _slugs(client.get("/api/v1/events?limit=500"))
    assert (
        client.patch(url, json={"title": "x"}, headers={**auth, "If-Match": "*"}).status_code == 410
    )

    synced = client.get(
        "/api/v1/events", params={"updated_since": before, "include_deleted": "true"}
    ).json()["items"]
    tombstone = next(item for item in synced if item["slug"] == slug)
    assert tombstone["deleted_at"] is not None
    history = client.get(f"{url}/revisions").json()["items"]
    assert history[-1]["action"] == "delete" and history[-1]["reason"] == "duplicate"

    back = client.post(f"{url}/revisions/1/restore", headers=auth)
    assert back.status_code == 200
    assert back.json()["version"] == 3  # create, delete, restore: one version each
    assert client.get(url).status_code == 200
    assert slug in _slugs(client.get("/api/v1/events?limit=500"))


def test_updated_since_lists_only_recent_changes(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    mark = client.get("/api/v1/events?order=desc").json()["items"][0]["updated_at"]
    slug = _create(client, auth).json()["slug"]
    recent = _slugs(client.get("/api/v1/events", params={"updated_since": mark}))
    assert slug in recent and len(recent) < 7


def test_one_change_is_one_version_whatever_it_touches(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    created = _create(client, auth)
    url = created.headers["location"]
    changed = client.patch(
        url,
        json={
            "sources": [
                *NEW_EVENT["sources"],
                {"url": "https://example.org/new-source", "publisher": "Another"},
                {"url": "https://example.org/new-source", "publisher": "Another", "quote": "q"},
            ],
            "participants": [
                {"actor": "dmitry-peskov", "role": "speaker"},
                {"actor": "russia", "role": "party"},
            ],
            "links": NEW_EVENT["links"],
        },
        headers={**auth, "If-Match": created.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == 2
    assert len(changed.json()["sources"]) == 3
    versions = [r["version"] for r in client.get(f"{url}/revisions").json()["items"]]
    assert versions == [1, 2]


def test_guard_refusals_carry_the_security_headers(client: Any, auth: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/events",
        content=b"x" * (2 * 1024 * 1024),
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_healthz_documents_its_unavailable_answer(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    unavailable = spec["paths"]["/healthz"]["get"]["responses"]["503"]
    # The shape it answers in (tests/core/test_storage.py sees one): a problem, as every error.
    assert list(unavailable["content"]) == ["application/problem+json"]


def test_a_quote_keeps_its_original_language_through_writes_and_revisions(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    source = {
        "url": "https://example.org/sybiha",
        "publisher": "Wire",
        "quote": "We are ready.",
        "original_quote": "Ми готові.",
        "original_language": "uk",
    }
    created = _create(client, auth, sources=[source])
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]
    read = client.get(f"/api/v1/events/{slug}").json()["sources"][0]
    assert (read["quote"], read["original_quote"], read["original_language"]) == (
        "We are ready.",
        "Ми готові.",
        "uk",
    )
    snapshot = client.get(f"/api/v1/events/{slug}/revisions/1").json()["snapshot"]
    assert snapshot["sources"][0]["original_quote"] == "Ми готові."
    assert snapshot["sources"][0]["original_language"] == "uk"


def test_an_original_quote_needs_a_language_tag_and_a_length_limit(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    before = client.get("/api/v1/events").json()["items"]
    source = {"url": "https://example.org/o", "publisher": "Wire", "quote": "Ready."}
    for wrong in (
        {"original_quote": "Ми готові."},
        {"original_quote": "Ми готові.", "original_language": ""},
        {"original_quote": "Ми готові.", "original_language": "Ukrainian!"},
        {"original_quote": "x" * 100_001, "original_language": "uk"},
    ):
        body = {**NEW_EVENT, "sources": [{**source, **wrong}]}
        response = client.post("/api/v1/events", json=body, headers=auth)
        assert response.status_code == 422, wrong
        field = "original_quote" if len(wrong["original_quote"]) > 100_000 else "original_language"
        assert ["sources", 0, field] in [e["loc"] for e in response.json()["errors"]], wrong
    assert client.get("/api/v1/events").json()["items"] == before


def test_an_api_edit_loads_the_event_once(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    slug = "abu-dhabi-talks-round-1"
    etag = client.get(f"/api/v1/events/{slug}").headers["etag"]
    with seeded.session() as session:
        event_id = session.scalar(select(Event.id).where(Event.slug == slug))
    with executed(seeded) as seen:
        answer = client.patch(
            f"/api/v1/events/{slug}",
            json={"title": "Trilateral talks in Abu Dhabi"},
            headers={**auth, "If-Match": etag},
        )
    assert answer.status_code == 200, answer.text
    # Loading the event with everything it shows reads its participants: once, for the
    # write, its revision, its stored answer and the answer sent.
    loads = [
        s
        for s, p in seen
        if s.startswith("SELECT") and "FROM participation" in s and event_id in values(p)
    ]
    assert len(loads) == 1
