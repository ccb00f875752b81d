"""Fixtures: a real database per backend (SQLite file, and PostgreSQL when configured),
migrated once per test session and emptied after each test; an app and client over it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.cli import migrate
from app.core.base import Base
from app.core.database import Database
from app.core.settings import ROOT, Settings
from tests.support.factory import Factory

PG_URL = os.environ.get("PARLEY_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"]


def _create_pg_database(url: str) -> str:
    """A fresh, uniquely named database on the test server, so runs never collide."""
    base = make_url(url)
    name = f"parley_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], str]]:
    """Makes an empty database of a backend and gives its URL; drops it at the end."""
    made: list[str] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("db") / "parley.db"
            return f"sqlite:///{path}"
        if not PG_URL:
            pytest.skip("PARLEY_TEST_DATABASE_URL is not set: no PostgreSQL to test on")
        url = _create_pg_database(PG_URL)
        made.append(url)
        return url

    yield make
    for url in made:
        _drop_pg_database(url)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("PARLEY_TEST_DATABASE_URL is not set: no PostgreSQL to test on")
    return str(request.param)


@pytest.fixture(scope="session")
def migrated_database(
    backend: str, database_url_factory: Callable[[str], str]
) -> Iterator[Database]:
    url = database_url_factory(backend)
    migrate(url)
    database = Database(url)
    yield database
    database.dispose()


def empty_all_tables(database: Database) -> None:
    # The data version only ever counts up, as in production: it is not a table of data.
    tables = [t for t in Base.metadata.sorted_tables if t.name != "data_version"]
    with database.engine.begin() as connection:
        if database.is_sqlite:
            for table in reversed(tables):
                connection.execute(table.delete())
        else:
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def database(migrated_database: Database) -> Iterator[Database]:
    """The backend's database, emptied after the test."""
    yield migrated_database
    empty_all_tables(migrated_database)


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A write session; the test commits what it wants others to see."""
    with database.write_sessions() as session:
        yield session
        session.rollback()


@pytest.fixture
def settings(database: Database, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database.url,
        secret_key="test-secret-key-not-for-production",
        site_title="Parley test",
        allow_suggestions=True,
        seeds_dir=ROOT / "seeds",
    )


@pytest.fixture
def app(settings: Settings, database: Database) -> Any:
    from app.main import create_app

    return create_app(settings, database=database)


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def seeded(database: Database) -> Database:
    """The seed timeline loaded."""
    from app.seeds import load

    with database.session(write=True) as session:
        load(session, ROOT / "seeds")
    return database


@pytest.fixture
def token(database: Database) -> str:
    """A live API token named 'tester'."""
    from app.users import service

    with database.session(write=True) as session:
        return service.create_token(session, name="tester")


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def make(database: Database) -> Factory:
    return Factory(database)
