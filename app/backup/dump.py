"""`parley dump`: every table of the site, read in one consistent snapshot, into one file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from sqlalchemy import Connection, Table, func, inspect, select, text

from app import __version__
from app.backup.archive import (
    EXCLUDED_TABLES,
    FORMAT_VERSION,
    MAGIC,
    DumpError,
    Progress,
    dumped_columns,
    encode_row,
    encoders,
    line,
    open_for_writing,
)
from app.core.base import utcnow
from app.core.database import Database
from app.models import Base  # with every table registered on it

#: Rows fetched and written at a time: memory stays flat on any size of site.
BATCH = 1000


def dumped_tables() -> list[Table]:
    """Every table of the models, parents before children, but those that are not data.
    New tables are dumped without a change here."""
    return [table for table in Base.metadata.sorted_tables if table.name not in EXCLUDED_TABLES]


@contextmanager
def snapshot(database: Database) -> Iterator[Connection]:
    """One read transaction that sees the database as it was when it began, while writers
    go on: SQLite in WAL mode gives each reading transaction its snapshot at its first read;
    PostgreSQL needs REPEATABLE READ for every statement to see the same one."""
    engine = database.engine
    if not database.is_sqlite:
        engine = engine.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    with engine.connect() as connection, connection.begin():
        yield connection


def dump(database: Database, path: str, *, progress: Progress | None = None) -> dict[str, int]:
    """Write the whole site to `path` (written beside it first, then moved into place, so
    a dump that fails leaves no half file); answers the rows written per table."""
    progress = progress or Progress()
    tables = dumped_tables()
    partial = f"{path}.partial"
    try:
        with snapshot(database) as connection, open_for_writing(partial) as stream:
            revision = _revision(connection)
            counts = {
                table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
                for table in tables
            }
            progress.start(sum(counts.values()))
            header = {
                MAGIC: FORMAT_VERSION,
                "parley_version": __version__,
                "alembic_revision": revision,
                "database": database.engine.dialect.name,
                "made_at": utcnow().isoformat(),
                "tables": counts,
            }
            stream.write(line(header))
            for table in tables:
                progress.table(table.name)
                _write_table(connection, stream, table, counts[table.name], progress)
            stream.write(line({"end": sum(counts.values())}))
        os.replace(partial, path)
    except OSError as exc:
        raise DumpError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return counts


def _revision(connection: Connection) -> str:
    revision = None
    if inspect(connection).has_table("alembic_version"):
        revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    if not revision:
        raise DumpError("the database has no Parley schema to dump (no migration applied)")
    return str(revision)


def _write_table(
    connection: Connection, stream: IO[str], table: Table, count: int, progress: Progress
) -> None:
    columns = dumped_columns(table)
    stream.write(line({"table": table.name, "columns": [c.name for c in columns], "rows": count}))
    encode = encoders(columns)
    query: Any = select(*columns).order_by(*table.primary_key.columns)
    result = connection.execution_options(yield_per=BATCH).execute(query)
    written = 0
    for rows in result.partitions():
        stream.write("".join(line(encode_row(row, encode)) for row in rows))
        written += len(rows)
        progress.advance(len(rows))
    if written != count:  # cannot happen in one snapshot; a dump that says so is refused
        raise DumpError(f"{table.name}: counted {count} rows but read {written}")
