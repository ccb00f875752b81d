"""`parley restore`: a dump loaded into an empty database of either kind, as the same site."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, inspect, select, text, update
from sqlalchemy.orm import Session

from app.backup.archive import (
    EXCLUDED_TABLES,
    FORMAT_VERSION,
    MAGIC,
    DumpError,
    Progress,
    decode_row,
    decoders,
    read_lines,
)
from app.core.database import Database
from app.events import facet_rows
from app.models import Base  # with every table registered on it

#: Rows inserted per statement.
BATCH = 1000


def read_header(path: str, *, known_revisions: dict[str, str]) -> dict[str, Any]:
    """The dump's header, refused unless this Parley knows its layout and the schema it
    was made at. `known_revisions` maps each migration this code has to its head-ness
    ("head" or "older")."""
    lines = read_lines(path)
    try:
        header = next(lines, None)
    finally:
        lines.close()
    if not isinstance(header, dict) or MAGIC not in header:
        raise DumpError(f"{path} is not a Parley dump")
    if header[MAGIC] != FORMAT_VERSION:
        raise DumpError(
            f"{path} is a dump of format {header[MAGIC]}; this Parley reads format "
            f"{FORMAT_VERSION} only"
        )
    revision = header.get("alembic_revision")
    state = known_revisions.get(str(revision))
    if state is None:
        raise DumpError(
            f"{path} was made at schema revision {revision!r}, which this Parley does not "
            "know: restore it with the Parley version that made it"
        )
    if state != "head":
        raise DumpError(
            f"{path} was made at schema revision {revision!r}, older than this Parley's: "
            "upgrade the database it came from (parley db upgrade) and dump it again"
        )
    return header


def rows_held(database: Database) -> dict[str, int]:
    """The tables of the site that hold rows (the data version's counter aside)."""
    present = set(inspect(database.engine).get_table_names())
    held: dict[str, int] = {}
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in present and table.name != "data_version":
                count = int(connection.scalar(select(func.count()).select_from(table)) or 0)
                if count:
                    held[table.name] = count
    return held


def refuse_unless_empty(database: Database) -> None:
    held = rows_held(database)
    if held:
        listed = ", ".join(f"{count} in {name}" for name, count in held.items())
        raise DumpError(
            f"the database holds data ({listed}): a dump restores only into an empty "
            "database; nothing was changed"
        )


def load(database: Database, path: str, *, progress: Progress | None = None) -> dict[str, int]:
    """Insert every row of the dump in one transaction (all or nothing), then bring the
    sequences and the search index up to what was loaded; answers the rows per table."""
    progress = progress or Progress()
    lines = read_lines(path)
    header = next(lines)
    progress.start(sum(header["tables"].values()))
    tables = {table.name: table for table in Base.metadata.sorted_tables}
    loaded: dict[str, int] = {}
    with database.session(write=True) as session:
        for item in lines:
            if "end" in item:
                break
            table = tables.get(item.get("table"))
            if table is None or table.name in EXCLUDED_TABLES:
                raise DumpError(f"{path}: the table {item.get('table')!r} is not one of this site")
            progress.table(table.name)
            loaded[table.name] = _load_table(session, table, item, lines, progress)
        else:
            raise DumpError(f"{path} was cut short: restore a whole dump; nothing was changed")
        _after_load(session, database)
    return loaded


def _self_references(table: Table, names: list[str]) -> list[str]:
    """Columns that point at rows of the same table (an actor's affiliation): loaded as
    null first and set once every row is in, so the order of the rows does not matter."""
    return [
        name
        for name in names
        if any(key.column.table is table for key in table.columns[name].foreign_keys)
    ]


def _load_table(
    session: Session, table: Table, item: dict[str, Any], lines: Iterator[Any], progress: Progress
) -> int:
    names = list(item["columns"])
    unknown = [name for name in names if name not in table.columns]
    if unknown:
        raise DumpError(f"the dump's table {table.name} has columns this site lacks: {unknown}")
    decode = decoders([table.columns[name] for name in names])
    later = _self_references(table, names)
    key = next(iter(table.primary_key.columns)) if later else None
    pending: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for _ in range(int(item["rows"])):
        values = next(lines, None)
        if not isinstance(values, list):
            raise DumpError(f"the dump was cut short in the table {table.name}")
        row = dict(zip(names, decode_row(values, decode), strict=True))
        if later and key is not None:
            wanted = {f"set_{name}": row[name] for name in later}
            if any(value is not None for value in wanted.values()):
                links.append({"row_key": row[key.name], **wanted})
            row.update(dict.fromkeys(later))
        pending.append(row)
        if len(pending) == BATCH:
            _insert(session, table, pending, progress)
    _insert(session, table, pending, progress)
    if links and key is not None:
        statement = (
            update(table)
            .where(key == bindparam("row_key"))
            .values({name: bindparam(f"set_{name}") for name in later})
        )
        session.connection().execute(statement, links)
    return int(item["rows"])


def _insert(session: Session, table: Table, rows: list[dict[str, Any]], progress: Progress) -> None:
    if rows:
        session.execute(insert(table), rows)
        progress.advance(len(rows))
        rows.clear()


def _after_load(session: Session, database: Database) -> None:
    """What the rows alone do not bring: PostgreSQL's sequences must hand out ids after
    the loaded ones, and SQLite's full-text index is rebuilt from the events and their
    choice rows (PostgreSQL's is a generated column, filled as the rows went in). The
    session moves the data version as it commits, so every worker's cache drops what it
    kept."""
    if database.is_sqlite:
        if inspect(session.connection()).has_table("event_fts"):
            facet_rows.index_choices(session.connection())
            session.execute(text("INSERT INTO event_fts(event_fts) VALUES ('rebuild')"))
        return
    for table in Base.metadata.sorted_tables:
        # Only an integer key of its own has a sequence (not a name, nor another table's id).
        serial = table.autoincrement_column
        if serial is None or table.name in EXCLUDED_TABLES:
            continue
        column = serial.name
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL) '
                f'FROM "{table.name}"'
            ),
            {"table": f'"{table.name}"', "column": column},
        )
