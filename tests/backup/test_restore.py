"""`parley restore`: into an empty database of either kind, the same site (every API read
answers the same, deleted events and revisions included, and old tokens still write); a
database that holds data, or a file that is not a whole dump this Parley knows, is refused
and nothing changes."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app import cli
from app.backup.dump import dump
from app.backup.restore import rows_held
from app.core.data_version import DataVersion
from app.core.database import Database
from app.core.settings import ROOT, Settings
from app.main import create_app
from app.seeds import load
from app.users import service as user_service

MOVES = [("sqlite", "postgresql"), ("postgresql", "sqlite"), ("sqlite", "sqlite")]


def _settings(url: str) -> Settings:
    return Settings(
        database_url=url,
        secret_key="test-secret-key-not-for-production",
        site_title="Parley test",
        seeds_dir=ROOT / "seeds",
    )


def _client(url: str) -> Iterator[Any]:
    with TestClient(create_app(_settings(url)), base_url="http://testserver") as client:
        yield client


def _parley(monkeypatch: pytest.MonkeyPatch, url: str, *args: str) -> int:
    monkeypatch.setenv("PARLEY_DATABASE_URL", url)
    return cli.main(list(args))


def _answers(client: Any) -> dict[str, Any]:
    """Every read a data user makes: the whole list walk with deleted events (small pages,
    so the cursors are compared too), each event (410 tombstones too) with its ETag, each
    history and revision, the reference lists and a search."""
    answers: dict[str, Any] = {"walk": []}
    url: str | None = "/api/v1/events?include_deleted=true&limit=3"
    slugs: list[str] = []
    while url:
        page = client.get(url).json()
        answers["walk"].append(page)
        slugs += [item["slug"] for item in page["items"]]
        url = (
            page["next_cursor"]
            and f"/api/v1/events?include_deleted=true&limit=3&cursor={page['next_cursor']}"
        )
    for slug in slugs:
        event = client.get(f"/api/v1/events/{slug}")
        history = client.get(f"/api/v1/events/{slug}/revisions").json()
        answers[slug] = (event.status_code, event.headers.get("etag"), event.json(), history)
        for item in history["items"]:
            answers[f"{slug}@{item['version']}"] = client.get(
                f"/api/v1/events/{slug}/revisions/{item['version']}"
            ).json()
    for path in ("actors", "places", "series", "tags", "sources", "events?q=kiev"):
        answers[path] = client.get(f"/api/v1/{path}").json()
    # Found from the terms of their chosen values on SQLite, which a restore makes again.
    for path in ("events?q=abu&actor=ukraine&kind=talks", "events?actor=ukraine&kind=talks"):
        answers[path] = client.get(f"/api/v1/{path}").json()
        assert answers[path]["items"], path
    return answers


def _site_with_history(url: str) -> str:
    """The seed timeline with an edit, a deletion and a restore, and an API token."""
    cli.migrate(url)
    database = Database(url)
    with database.session(write=True) as session:
        load(session, ROOT / "seeds")
        token = user_service.create_token(session, name="newsroom")
        user_service.create(session, username="editor", password="a long passphrase")
    database.dispose()
    auth = {"Authorization": f"Bearer {token}"}
    for client in _client(url):
        slugs = [item["slug"] for item in client.get("/api/v1/events").json()["items"]]
        first = client.get(f"/api/v1/events/{slugs[0]}")
        patch = {"title": "Edited before the move"}
        headers = {**auth, "If-Match": first.headers["etag"]}
        assert client.patch(f"/api/v1/events/{slugs[0]}", json=patch, headers=headers).is_success
        second = client.get(f"/api/v1/events/{slugs[1]}")
        headers = {**auth, "If-Match": second.headers["etag"]}
        assert client.delete(f"/api/v1/events/{slugs[1]}", headers=headers).status_code == 204
        third = client.get(f"/api/v1/events/{slugs[2]}")
        headers = {**auth, "If-Match": third.headers["etag"]}
        assert client.delete(f"/api/v1/events/{slugs[2]}", headers=headers).status_code == 204
        restore = f"/api/v1/events/{slugs[2]}/revisions/1/restore"
        assert client.post(restore, headers=auth).status_code == 200
    return token


@pytest.mark.parametrize(("source", "target"), MOVES, ids=["-to-".join(m) for m in MOVES])
def test_a_dump_restores_as_the_same_site_on_either_database(
    source: str,
    target: str,
    database_url_factory: Callable[[str], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source_url, target_url = database_url_factory(source), database_url_factory(target)
    token = _site_with_history(source_url)
    before = next(_answers(client) for client in _client(source_url))
    path = str(tmp_path / "site.dump")
    assert _parley(monkeypatch, source_url, "dump", path) == 0

    # The target is blank: restore migrates it first.
    assert _parley(monkeypatch, target_url, "restore", path) == 0
    assert "Restored" in capsys.readouterr().out
    target_db = Database(target_url)
    with target_db.session() as session:
        assert (session.scalar(select(DataVersion.version)) or 0) >= 1  # caches drop
    target_db.dispose()

    for client in _client(target_url):
        assert _answers(client) == before
        # The token from before the move writes, and new rows get new ids.
        auth = {"Authorization": f"Bearer {token}"}
        slug = before["walk"][0]["items"][0]["slug"]
        etag = client.get(f"/api/v1/events/{slug}").headers["etag"]
        changed = client.patch(
            f"/api/v1/events/{slug}",
            json={"summary": "Written after the move"},
            headers={**auth, "If-Match": etag},
        )
        assert changed.status_code == 200, changed.text
        new = {"title": "First event after the move", "kind": "call", "start_date": "2026-03-01"}
        created = client.post("/api/v1/events", json=new, headers=auth)
        assert created.status_code == 201, created.text
        history = client.get(f"/api/v1/events/{slug}/revisions").json()["items"]
        assert history[-1]["author"] == "newsroom"


def test_restore_refuses_a_database_that_holds_data(
    seeded: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(tmp_path / "site.dump")
    assert _parley(monkeypatch, seeded.url, "dump", path) == 0
    held = rows_held(seeded)
    assert _parley(monkeypatch, seeded.url, "restore", path) == 1
    error = capsys.readouterr().err
    assert "holds data" in error and "nothing was changed" in error and "7 in event" in error
    assert len(error.strip().splitlines()) == 1
    assert rows_held(seeded) == held


def _rewritten(path: Path, target: Path, change: Callable[[list[str]], list[str]]) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        lines = stream.readlines()
    with gzip.open(target, "wt", encoding="utf-8") as stream:
        stream.writelines(change(lines))
    return str(target)


def _header_with(lines: list[str], **fields: Any) -> list[str]:
    return [json.dumps({**json.loads(lines[0]), **fields}) + "\n", *lines[1:]]


REFUSED: dict[str, tuple[Callable[[list[str]], list[str]], str]] = {
    "format": (lambda lines: _header_with(lines, **{"parley-dump": 99}), "format 99"),
    "unknown revision": (
        lambda lines: _header_with(lines, alembic_revision="zzzz"),
        "revision 'zzzz', which this Parley does not know",
    ),
    "older revision": (
        lambda lines: _header_with(lines, alembic_revision="0001"),
        "parley db upgrade",
    ),
    "cut short": (lambda lines: lines[: len(lines) // 2], "cut short"),
    "not a dump": (lambda lines: ["just text\n"], "is not a Parley dump"),
}


@pytest.fixture(scope="module")
def good_dump(
    database_url_factory: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A dump of the seed timeline (on SQLite: the file reads the same from either)."""
    url = database_url_factory("sqlite")
    cli.migrate(url)
    database = Database(url)
    with database.session(write=True) as session:
        load(session, ROOT / "seeds")
    path = tmp_path_factory.mktemp("dump") / "site.dump"
    dump(database, str(path))
    database.dispose()
    return path


@pytest.mark.parametrize("case", list(REFUSED))
def test_restore_refuses_a_file_it_cannot_restore_whole_and_changes_nothing(
    case: str,
    good_dump: Path,
    database_url_factory: Callable[[str], str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    change, said = REFUSED[case]
    bad = _rewritten(good_dump, tmp_path / "bad.dump", change)
    target = database_url_factory("sqlite")
    assert _parley(monkeypatch, target, "restore", bad) == 1
    error = capsys.readouterr().err
    assert said in error and "Traceback" not in error
    blank = Database(target)
    assert rows_held(blank) == {}
    blank.dispose()


def test_restore_names_a_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'blank.db'}"
    assert _parley(monkeypatch, url, "restore", str(tmp_path / "missing.dump")) == 1
    assert "missing.dump: no such file" in capsys.readouterr().err


def test_counting_rows_held_ignores_the_data_versions_counter(database: Database) -> None:
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(DataVersion)) == 1
    assert rows_held(database) == {}
