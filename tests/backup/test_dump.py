"""`parley dump` on both databases: one consistent snapshot while a writer writes, every
table but sessions, and a file that says what made it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Date, DateTime, Integer, LargeBinary, MetaData, Table

from app import cli
from app.backup import archive
from app.backup.archive import Progress, read_lines
from app.backup.dump import dump
from app.core.database import Database
from app.events import service as event_service
from app.events.schemas import EventUpdate
from app.users import service as user_service
from tests.support.factory import Factory


class WriteBetweenTables(Progress):
    """Has a writer save an event and change another after the events are dumped and before
    their revisions are: a dump that is not one snapshot would hold revisions of events it
    does not hold, or events without their latest revision."""

    def __init__(self, write: Any) -> None:
        self.write = write
        self.written = False

    def table(self, name: str) -> None:
        if name == "revision" and not self.written:
            self.write()
            self.written = True


def _sections(path: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    lines = read_lines(str(path))
    header = next(lines)
    tables: dict[str, list[dict[str, Any]]] = {}
    columns: list[str] = []
    for item in lines:
        if isinstance(item, dict) and "table" in item:
            columns = item["columns"]
            tables[item["table"]] = []
        elif isinstance(item, list):
            tables[list(tables)[-1]].append(dict(zip(columns, item, strict=True)))
    return header, tables


def test_a_dump_while_a_writer_writes_is_one_consistent_snapshot(
    database: Database, make: Factory, tmp_path: Path
) -> None:
    slugs = [make.event() for _ in range(3)]

    def write() -> None:
        make.event(title="Written while the dump ran")
        with database.session(write=True) as session:
            event_service.update(
                session,
                slug=slugs[0],
                data=EventUpdate(title="Changed while the dump ran"),
                expected_version=None,
                author="writer",
            )

    writer = WriteBetweenTables(write)
    path = tmp_path / "site.dump"
    counts = dump(database, str(path), progress=writer)
    assert writer.written

    header, tables = _sections(path)
    assert header["tables"] == counts and counts["event"] == 3 and counts["revision"] == 3
    versions = {row["id"]: row["version"] for row in tables["event"]}
    latest: dict[int, int] = {}
    for revision in tables["revision"]:
        latest[revision["event_id"]] = max(latest.get(revision["event_id"], 0), revision["version"])
    assert latest == versions  # every event with its revisions, and no revision without one
    assert {row["title"] for row in tables["event"]} == {"Event 1", "Event 2", "Event 3"}


def test_a_dump_holds_every_table_but_sessions_with_hashes_not_secrets(
    seeded: Database, tmp_path: Path
) -> None:
    with seeded.session(write=True) as session:
        token = user_service.create_token(session, name="newsroom")
        user_service.create(session, username="editor", password="a long passphrase")
    path = tmp_path / "site.dump"
    dump(seeded, str(path))
    header, tables = _sections(path)

    assert header["parley-dump"] == archive.FORMAT_VERSION
    assert header["database"] == seeded.engine.dialect.name
    assert header["alembic_revision"] and header["parley_version"]
    assert "user_session" not in tables and "login_attempt" not in tables
    assert "data_version" not in tables
    assert {"event", "revision", "actor", "api_token", "user_account", "event_tag"} <= set(tables)
    assert len(tables["event"]) == 7 and tables["user_account"][0]["username"] == "editor"
    assert tables["user_account"][0]["password_hash"].startswith("$argon2")
    assert all(token not in str(row) for row in tables["api_token"])
    assert "search_vector" not in tables["event"][0]  # PostgreSQL computes it


def test_bytes_and_times_come_back_as_they_were() -> None:
    table = Table(
        "blob",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("data", LargeBinary),
        Column("on", Date),
        Column("at", DateTime(timezone=True)),
    )
    columns = archive.dumped_columns(table)
    row = (1, b"\x00\xffPNG", dt.date(2026, 1, 23), dt.datetime(2026, 1, 23, 9, 30, tzinfo=dt.UTC))
    written = archive.encode_row(row, archive.encoders(columns))
    assert written == [1, "AP9QTkc=", "2026-01-23", "2026-01-23T09:30:00+00:00"]
    assert archive.decode_row(written, archive.decoders(columns)) == list(row)


def test_the_command_writes_the_file_and_says_what_it_holds(
    seeded: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PARLEY_DATABASE_URL", seeded.url)
    path = tmp_path / "site.dump"
    assert cli.main(["dump", str(path)]) == 0
    said = capsys.readouterr()
    assert "(7 events)" in said.out and str(path) in said.out
    assert said.err == ""  # no progress bar when stderr is not a terminal
    assert not Path(f"{path}.partial").exists()


def test_a_dump_that_cannot_be_written_says_so_in_one_line(
    seeded: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PARLEY_DATABASE_URL", seeded.url)
    path = tmp_path / "no-such-folder" / "site.dump"
    assert cli.main(["dump", str(path)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"parley: cannot write {path}") and "\n" not in error
