"""Counting the SQL statements the app sends, for tests that keep what an answer costs fixed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from app.core.database import Database


@contextmanager
def _listening(database: Database, record: Any) -> Iterator[None]:
    """`record` called with every statement the app sends, on each of the database's engines
    (on SQLite, the writers have one of their own: their one connection)."""
    engines = {database.engine, database.write_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


@contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """Every SQL statement the app sends while the block runs."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    with _listening(database, count):
        yield seen


@contextmanager
def executed(database: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every SQL statement the app sends while the block runs, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        seen.append((statement, parameters))

    with _listening(database, record):
        yield seen


def values(parameters: Any) -> list[Any]:
    """The values bound to a statement, whatever the driver's parameter style."""
    if isinstance(parameters, dict):
        return list(parameters.values())
    if isinstance(parameters, list | tuple):
        return [
            v
            for p in parameters
            for v in (values(p) if isinstance(p, list | tuple | dict) else [p])
        ]
    return [parameters]
