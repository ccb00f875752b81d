"""The database layer: SQLite set up right, and writers that wait instead of failing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from app.cli import migrate
from app.core import database as database_module
from app.core.database import Database
from app.core.settings import Settings
from app.events import reading, service
from app.events.models import Event, Revision
from app.events.schemas import EventCreate, EventUpdate
from app.main import create_app
from app.sources.models import Source
from app.users import service as users


def test_sqlite_pragmas(database_url_factory: Callable[[str], str]) -> None:
    database = Database(database_url_factory("sqlite"))
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    database.dispose()


def test_sqlite_writers_share_one_connection_and_one_kept_too_long_is_told_busy(
    database_url_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer waits for SQLite's one writer's connection as long as it would for the lock;
    past that it hears the database was busy, and nothing of its event is stored."""
    monkeypatch.setattr(database_module, "SQLITE_BUSY_TIMEOUT_MS", 400)
    url = database_url_factory("sqlite")
    migrate(url)
    database = Database(url)
    with database.session(write=True) as session:
        auth = {"Authorization": f"Bearer {users.create_token(session, name='writer')}"}
    event = {"title": "A call", "kind": "call", "status": "held", "start_date": "2026-03-01"}
    settings = Settings(database_url=url, secret_key="k" * 32)
    try:
        with TestClient(create_app(settings, database=database)) as client:
            with database.session(write=True) as holder:
                first = holder.connection().connection.dbapi_connection
                started = time.monotonic()
                kept_waiting = client.post("/api/v1/events", json=event, headers=auth)
                waited = time.monotonic() - started
            stored = client.post("/api/v1/events", json=event, headers=auth)
            listed = client.get("/api/v1/events").json()
            with database.session(write=True) as again:
                second = again.connection().connection.dbapi_connection
    finally:
        database.dispose()
    assert first is second
    assert kept_waiting.status_code == 503, kept_waiting.text
    assert kept_waiting.headers["content-type"].startswith("application/problem+json")
    assert kept_waiting.headers["retry-after"] == "1"
    assert "busy; nothing was saved" in kept_waiting.json()["detail"]
    assert waited >= 0.4
    assert stored.status_code == 201, stored.text
    assert [e["slug"] for e in listed["items"]] == [stored.json()["slug"]]


INSERT_EVENT = (
    "INSERT INTO event (slug, title, summary, body, kind, status, start_date, end_date, "
    "date_precision, date_approximate, starts_at, version, search_text, created_at, updated_at, "
    "place_id) VALUES (:slug, 'x', '', '', :kind, 'held', :start, :end, 'day', false, "
    "'2026-01-02 00:00:00', 1, '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :place)"
)
GOOD = {"slug": "good", "kind": "talks", "start": "2026-01-02", "end": None, "place": None}


@pytest.mark.parametrize(
    "change",
    [
        {"end": "2026-01-01"},  # the end before the start
        {"kind": "party"},  # not a kind
        {"place": 999},  # no such place
    ],
    ids=["end before start", "unknown kind", "dangling place"],
)
def test_the_schema_itself_refuses_bad_rows(database: Database, change: dict[str, object]) -> None:
    # The database checks too, not only the API: a bad row cannot get in by another door.
    with database.engine.begin() as connection:
        connection.execute(text(INSERT_EVENT), GOOD)
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(text(INSERT_EVENT), {**GOOD, "slug": "bad", **change})


def test_concurrent_writers_all_succeed(database: Database, make: object) -> None:
    """Eight threads create and edit at once: nothing is lost, nothing is 'locked'."""
    threads_count, per_thread = 8, 6
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_count)

    def work(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with database.session(write=True) as session:
                    event = service.create(
                        session,
                        data=EventCreate(
                            title=f"Worker {worker} event {i}", kind="call", start_date="2026-03-01"
                        ),
                        author=f"worker-{worker}",
                    )
                    slug = event.slug
                with database.session(write=True) as session:
                    current = reading.get_by_slug(session, slug=slug)
                    service.update(
                        session,
                        slug=slug,
                        data=EventUpdate(summary=f"edited by {worker}"),
                        expected_version=current.version,
                        author=f"worker-{worker}",
                    )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == threads_count * per_thread
        assert (
            session.scalar(select(func.count()).select_from(Revision))
            == 2 * threads_count * per_thread
        )
        versions = set(session.scalars(select(Event.version)))
    assert versions == {2}


def test_concurrent_creates_of_the_same_title_and_new_source_all_succeed(
    database: Database,
) -> None:
    """Same date, same title, same new source URL, at once: distinct slugs, one source."""
    workers = 6
    errors: list[BaseException] = []
    slugs: list[str] = []
    barrier = threading.Barrier(workers)

    def work() -> None:
        try:
            barrier.wait()
            with database.session(write=True) as session:
                event = service.create(
                    session,
                    data=EventCreate(
                        title="Same headline",
                        kind="statement",
                        start_date="2026-04-01",
                        sources=[{"url": "https://example.org/same", "publisher": "Example"}],
                    ),
                    author="racer",
                )
                slugs.append(event.slug)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(slugs)) == workers
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Source)) == 1
