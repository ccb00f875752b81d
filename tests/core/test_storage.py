"""A database that refuses writes (read-only, or full) is told as such: a 503 saying the
database refused the write, one log line a minute, and /healthz answering 503 meanwhile."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app.cli import migrate
from app.core.database import Database
from app.core.settings import Settings
from app.core.storage import refusal_kind
from app.main import create_app
from app.users import service

EVENT = {"title": "A call", "kind": "call", "status": "held", "start_date": "2026-03-01"}


@contextmanager
def _read_only(backend: str, url: str) -> Iterator[str]:
    """The URL of the same database, opened so that it refuses writes."""
    if backend == "sqlite":
        path = make_url(url).database
        yield f"sqlite:///file:{path}?mode=ro&uri=true"
        return
    name = make_url(url).database
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
        admin.dispose()


def test_a_read_only_database_is_told_not_busy(
    backend: str, database_url_factory: Callable[[str], str], caplog: Any
) -> None:
    url = database_url_factory(backend)
    migrate(url)
    writable = Database(url)
    with writable.session(write=True) as session:
        token = service.create_token(session, name="tester")
    writable.dispose()
    auth = {"Authorization": f"Bearer {token}"}
    with _read_only(backend, url) as read_only_url:
        database = Database(read_only_url)
        settings = Settings(database_url=read_only_url, secret_key="k" * 32)
        try:
            with TestClient(create_app(settings, database=database)) as client:
                # /healthz knows before any write has failed.
                before = client.get("/healthz")
                assert before.status_code == 503, before.text
                with caplog.at_level(logging.ERROR, logger="parley.storage"):
                    answers = [
                        client.post("/api/v1/events", json=EVENT, headers=auth) for _ in "ab"
                    ]
                health = client.get("/healthz")
                listed = client.get("/api/v1/events")
        finally:
            database.dispose()
    for answer in answers:
        assert answer.status_code == 503
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert "refused the write (it is read-only)" in answer.json()["detail"]
        assert "busy" not in answer.json()["detail"]
    # Logged once, not once per refused write (nor per look of /healthz).
    assert len([r for r in caplog.records if r.name == "parley.storage"]) == 1
    assert health.status_code == 503 and "read-only" in health.json()["detail"]
    assert health.headers["content-type"] == "application/problem+json"
    # Reading still works.
    assert listed.status_code == 200


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database or disk is full", "full"),
        ("attempt to write a readonly database", "read-only"),
        ("database is locked", None),
    ],
)
def test_sqlite_words_for_a_refused_write(message: str, kind: str | None) -> None:
    error = OperationalError("INSERT ...", {}, sqlite3.OperationalError(message))
    assert refusal_kind(error) == kind


def test_healthz_says_ok_again_as_soon_as_a_write_is_stored(
    client: Any, database: Database, auth: dict[str, str]
) -> None:
    # A disk that was full a moment ago and has room again: the first stored write says so.
    database.storage.refused("full", OSError("No space left on device"))
    assert client.get("/healthz").status_code == 503
    assert client.post("/api/v1/events", json=EVENT, headers=auth).status_code == 201
    assert client.get("/healthz").status_code == 200
