"""The answer cache: a repeated read costs one statement, and no write is ever hidden by it,
whether made through this app, another worker's, or a rolled-back attempt."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import event

from app.core.data_version import KeptWhileUnchanged, current_version
from app.core.database import Database
from app.events import reading, service
from app.events.schemas import EventCreate, EventUpdate
from app.web.answer_cache import AnswerCache
from tests.support.statements import statements


def test_a_repeated_read_is_answered_from_memory_with_the_same_bytes(
    client: Any, database: Database, seeded: Database
) -> None:
    first = client.get("/api/v1/events?limit=3")
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    # The version is read on an engine of its own (on SQLite; the autocommit engine on
    # PostgreSQL); the others answer everything else.
    engines = list({id(e): e for e in (database.engine, database.version_engine)}.values())
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        again = client.get("/api/v1/events?limit=3")
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)

    assert again.status_code == 200
    assert again.content == first.content
    assert again.headers["link"] == first.headers["link"]
    assert again.headers["content-security-policy"]  # outer middleware still runs
    assert len(seen) == 1 and "FROM data_version" in seen[0], "a hit reads the version only"


def test_an_edit_through_the_api_shows_at_once(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    slug = "zelenskyy-evening-address-2026-01-26"
    before = client.get(f"/api/v1/events/{slug}")
    listed = client.get("/api/v1/events")
    assert before.status_code == 200

    changed = client.patch(
        f"/api/v1/events/{slug}",
        json={"title": "Zelenskyy's evening address, corrected"},
        headers={**auth, "If-Match": before.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text

    after = client.get(f"/api/v1/events/{slug}")
    assert after.json()["title"] == "Zelenskyy's evening address, corrected"
    assert after.headers["etag"] != before.headers["etag"]
    titles = [e["title"] for e in client.get("/api/v1/events").json()["items"]]
    assert "Zelenskyy's evening address, corrected" in titles
    assert titles != [e["title"] for e in listed.json()["items"]]


def test_a_write_by_another_worker_shows_at_once(
    client: Any, database: Database, seeded: Database
) -> None:
    slug = "zelenskyy-evening-address-2026-01-26"
    assert client.get(f"/api/v1/events/{slug}").json()["status"] == "held"
    client.get(f"/api/v1/events/{slug}")  # now kept

    other_worker = Database(database.url)
    try:
        with other_worker.session(write=True) as session:
            event = reading.get_by_slug(session, slug=slug)
            service.update(
                session,
                slug=slug,
                data=EventUpdate(summary="Changed by another process."),
                expected_version=event.version,
                author="another worker",
                reason=None,
            )
    finally:
        other_worker.dispose()

    assert client.get(f"/api/v1/events/{slug}").json()["summary"] == "Changed by another process."


def test_a_deleted_event_is_not_served_from_memory(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    slug = "peskov-next-round-next-week-2026-01-26"
    kept = client.get(f"/api/v1/events/{slug}")
    assert client.get(f"/api/v1/events/{slug}").status_code == 200

    gone = client.delete(
        f"/api/v1/events/{slug}", headers={**auth, "If-Match": kept.headers["etag"]}
    )
    assert gone.status_code == 204, gone.text

    assert client.get(f"/api/v1/events/{slug}").status_code == 410
    slugs = [e["slug"] for e in client.get("/api/v1/events").json()["items"]]
    assert slug not in slugs


def test_only_writes_of_timeline_data_move_the_version(
    client: Any, database: Database, seeded: Database, auth: dict[str, str]
) -> None:
    start = current_version(database.engine)
    assert start is not None

    refused = client.post("/api/v1/events", json={"title": ""}, headers=auth)
    assert refused.status_code == 422
    assert client.get("/api/v1/events").status_code == 200
    assert current_version(database.engine) == start, "a refused write or a read moved it"

    created = client.post(
        "/api/v1/events",
        json={"title": "A new call", "kind": "call", "start_date": "2026-02-03"},
        headers=auth,
    )
    assert created.status_code == 201, created.text
    assert current_version(database.engine) == start + 1


def test_with_the_cache_off_every_read_is_built(app: Any, client: Any, seeded: Database) -> None:
    from app.main import create_app

    settings = app.state.settings.model_copy(update={"response_cache_mb": 0})
    from fastapi.testclient import TestClient

    with TestClient(create_app(settings, database=app.state.db)) as uncached:
        uncached.get("/api/v1/events")
        with statements(app.state.db) as seen:
            assert uncached.get("/api/v1/events").status_code == 200
    assert not any("data_version" in s for s in seen)
    assert any("FROM event" in s for s in seen)


def test_kept_values_go_when_the_version_moves_and_the_oldest_go_past_the_budget(
    database: Database,
) -> None:
    kept = KeptWhileUnchanged[str](budget=40, weigh=len)  # room for ten values of 4
    made: list[str] = []

    def make(value: str) -> Callable[[], str]:
        return lambda: made.append(value) or value

    with database.session() as session:
        for key in ("a", "b", "a"):  # "a" is made once, then used
            assert kept.get(session, key, make(key * 4)) == key * 4
        assert made == ["aaaa", "bbbb"]
        kept.get(session, "huge", make("h" * 6))  # over an eighth of the budget: not kept
        kept.get(session, "huge", make("h" * 6))
        assert made[-2:] == ["hhhhhh", "hhhhhh"]
        for key in "cdefghijk":  # 44 > 40: the least recently used, "b", goes
            kept.get(session, key, make(key * 4))
        made.clear()
        kept.get(session, "a", make("aaaa"))
        kept.get(session, "b", make("bbbb"))
        assert made == ["bbbb"], "'b' went; 'a', used more recently, stayed"

    made.clear()
    with database.session(write=True) as session:
        service.create(
            session,
            data=EventCreate(title="A write", kind="call", start_date=dt.date(2026, 2, 3)),
            author="test",
        )
    with database.session() as session:
        kept.get(session, "a", make("aaaa"))
    assert made == ["aaaa"], "a new data version drops everything kept"


def _answer_cache(app: Any) -> Any:
    """The app's answer cache middleware, found along the middleware chain."""
    layer = app.middleware_stack
    while not isinstance(layer, AnswerCache):
        layer = layer.app
    return layer


def test_a_miss_is_built_once_however_many_wait_for_it(
    app: Any, database: Database, seeded: Database
) -> None:
    async def many_at_once() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            await client.get("/healthz")  # builds the middleware stack
            return await asyncio.gather(*(client.get("/api/v1/events?limit=7") for _ in range(12)))

    with statements(database) as seen:
        answers = asyncio.run(many_at_once())
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.content for answer in answers}) == 1
    assert _answer_cache(app).builds == 1
    assert sum("FROM event_document" in statement for statement in seen) == 1
