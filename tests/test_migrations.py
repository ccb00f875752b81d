"""Migrations are the only way the schema changes: up, down, up again, and no drift."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, inspect

from app.cli import alembic_config, migrate
from app.core.base import Base


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, database_url_factory: Callable[[str], str]) -> str:
    return database_url_factory(request.param)


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(empty_url: str) -> None:
    expected = set(Base.metadata.tables)

    migrate(empty_url)
    assert expected <= _tables(empty_url)

    migrate(empty_url, "base", down=True)
    assert _tables(empty_url) & expected == set()

    migrate(empty_url)
    assert expected <= _tables(empty_url)


def test_models_and_head_do_not_differ(empty_url: str) -> None:
    migrate(empty_url)
    try:
        command.check(alembic_config(empty_url))  # type: ignore[arg-type]
    except CommandError as exc:  # pragma: no cover - the failure is the message
        pytest.fail(f"the models differ from the migrations' head: {exc}")


def test_there_is_one_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))  # type: ignore[arg-type]
    assert len(script.get_heads()) == 1
