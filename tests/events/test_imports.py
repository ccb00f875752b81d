"""Importing the CSV and NDJSON exports (app/events/imports.py), on both databases: twice
changes nothing, changes become one revision each, related records are created, a bad row or
file saves nothing and says where it is wrong."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app import cli
from app.core.database import Database
from app.core.settings import Settings
from app.events import imports
from app.events.models import Event, Revision
from app.main import create_app
from tests.support.exports import csv_bytes, every_event, ndjson_bytes
from tests.support.images import image_bytes

WRITERS: dict[str, Callable[[list[dict[str, Any]]], bytes]] = {
    "events.csv": csv_bytes,
    "events.ndjson": ndjson_bytes,
}


def _import(database: Database, name: str, data: bytes, **options: Any) -> imports.Report:
    with database.session(write=True) as session:
        return imports.run(session, file_name=name, data=data, **options)


def _counts(database: Database) -> tuple[int, int]:
    with database.session() as session:
        events = session.scalar(select(func.count()).select_from(Event))
        revisions = session.scalar(select(func.count()).select_from(Revision))
    return int(events or 0), int(revisions or 0)


@pytest.mark.parametrize("name", list(WRITERS))
def test_importing_the_sites_own_export_changes_nothing(
    seeded: Database, client: Any, name: str
) -> None:
    events = every_event(client)
    before = _counts(seeded)
    report = _import(seeded, name, WRITERS[name](events))
    assert (report.count("created"), report.count("changed")) == (0, 0)
    assert report.count("unchanged") == len(events) == before[0]
    assert report.related == []
    assert _counts(seeded) == before
    assert every_event(client) == events


def test_changed_rows_get_one_revision_each_and_a_second_import_changes_nothing(
    seeded: Database, client: Any
) -> None:
    events = every_event(client)
    events[0]["title"] = "A title, with a comma and “quotes”"
    events[1]["body"] = 'Two lines,\nthe second with "quotes".'
    events[1]["tags"] = [{"slug": "territories", "name": "Territories"}]
    data = csv_bytes(events, bom=True)

    first = _import(seeded, "events.csv", data)
    assert first.count("changed") == 2 and first.count("unchanged") == len(events) - 2
    assert {o.slug: o.fields for o in first.outcomes if o.action == "changed"} == {
        events[0]["slug"]: ["title"],
        events[1]["slug"]: ["body", "tags"],
    }
    changed = client.get(f"/api/v1/events/{events[1]['slug']}").json()
    assert changed["body"] == 'Two lines,\nthe second with "quotes".'
    assert changed["version"] == events[1]["version"] + 1
    history = client.get(f"/api/v1/events/{events[1]['slug']}/revisions").json()["items"]
    assert (history[-1]["author"], history[-1]["reason"]) == ("import", "imported from events.csv")

    before = _counts(seeded)
    second = _import(seeded, "events.csv", data)
    assert second.count("unchanged") == len(events) and _counts(seeded) == before


def test_ndjson_into_an_empty_site_creates_the_events_and_what_they_name(
    seeded: Database,
    client: Any,
    settings: Settings,
    backend: str,
    database_url_factory: Callable[[str], str],
) -> None:
    events = every_event(client)
    url = database_url_factory(backend)
    cli.migrate(url)
    empty = Database(url)
    try:
        report = _import(empty, "events.ndjson", ndjson_bytes(events))
        assert report.count("created") == len(events)
        kinds = {record.split()[0] for record in report.related}
        assert kinds == {"place", "series", "tag", "actor"}
        fresh = create_app(settings.model_copy(update={"database_url": url}), database=empty)
        with TestClient(fresh) as other:
            copied = every_event(other)
        assert [_write_view(e) for e in copied] == [_write_view(e) for e in events]
        again = _import(empty, "events.ndjson", ndjson_bytes(copied))
        assert again.count("unchanged") == len(events) and again.related == []
    finally:
        empty.dispose()


def _enrich(client: Any, auth: dict[str, str]) -> dict[str, Any]:
    """An event with what a CSV cell cannot say whole: a quote in its original language, an
    image with its words, and links to other events; and a summary that starts with an
    apostrophe and a formula sign (the export's defusing must not eat the apostrophe)."""
    events = every_event(client)
    first = events[0]
    upload = client.post(
        "/api/v1/media",
        headers=auth,
        files={"file": ("x", image_bytes("PNG"))},
        data={"alt": "Upload alt"},
    )
    assert upload.status_code == 201, upload.text
    source = {
        "url": "https://tass.example/1",
        "publisher": "TASS",
        "quote": "We exchanged views.",
        "original_quote": "Мы обменялись мнениями.",
        "original_language": "ru",
        "speaker": "dmitry-peskov",
    }
    changed = client.patch(
        f"/api/v1/events/{first['slug']}",
        headers={**auth, "If-Match": f'"{first["slug"]}-v{first["version"]}"'},
        json={
            "sources": [source],
            "media": [{"url": upload.json()["url"], "alt": "The hall", "caption": "Before"}],
            "links": [{"kind": "related", "event": events[1]["slug"]}],
            "summary": "'=2+2', the banner read.",
        },
    )
    assert changed.status_code == 200, changed.text
    answer: dict[str, Any] = changed.json()
    return answer


@pytest.mark.parametrize("name", ["events.csv", "events.ndjson"])
def test_the_exports_read_back_unchanged_quotes_images_and_links_too(
    seeded: Database, client: Any, auth: dict[str, str], name: str
) -> None:
    event = _enrich(client, auth)
    exported = client.get(f"/api/v1/{name}").content
    before = _counts(seeded)
    report = _import(seeded, name, exported)
    assert report.count("changed") == 0 and report.left_out == []
    assert _counts(seeded) == before
    assert client.get(f"/api/v1/events/{event['slug']}").json() == event

    # A CSV cell says what to keep of the images and links; the words stay the event's own.
    if name == "events.csv":
        edited = exported.replace(f"related:{event['links'][0]['event']['slug']}".encode(), b"")
        report = _import(seeded, name, edited)
        assert [(o.slug, o.fields) for o in report.outcomes if o.action == "changed"] == [
            (event["slug"], ["links"])
        ]
        after = client.get(f"/api/v1/events/{event['slug']}").json()
        assert after["links"] == [] and after["media"] == event["media"]
        assert after["sources"] == event["sources"]


def test_ndjson_into_another_site_keeps_original_quotes_and_says_which_images_stay_behind(
    seeded: Database,
    client: Any,
    auth: dict[str, str],
    settings: Settings,
    backend: str,
    database_url_factory: Callable[[str], str],
) -> None:
    event = _enrich(client, auth)
    url = database_url_factory(backend)
    cli.migrate(url)
    other = Database(url)
    try:
        report = _import(other, "events.ndjson", client.get("/api/v1/events.ndjson").content)
        assert report.left_out == [
            f"{event['slug']}: image {event['media'][0]['url']} (not uploaded to this site)"
        ]
        fresh = create_app(settings.model_copy(update={"database_url": url}), database=other)
        with TestClient(fresh) as there:
            copied = there.get(f"/api/v1/events/{event['slug']}").json()
        assert copied["sources"] == event["sources"]
        assert copied["media"] == []
        assert copied["links"] == event["links"]
    finally:
        other.dispose()


def _write_view(event: dict[str, Any]) -> dict[str, Any]:
    """What an import carries over: everything but ids, versions and times of the copy."""
    skip = {"version", "created_at", "updated_at", "linked_from"}
    return {key: value for key, value in event.items() if key not in skip}


def test_a_dry_run_says_what_would_change_and_saves_nothing(
    seeded: Database,
    client: Any,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    events = every_event(client)
    events[0]["title"] = "Renamed by the file"
    new = {**events[1], "slug": "a-brand-new-event", "title": "A brand new event"}
    path = tmp_path / "events.csv"
    path.write_bytes(csv_bytes([*events, new]))
    monkeypatch.setenv("PARLEY_DATABASE_URL", seeded.url)
    before = _counts(seeded)

    assert cli.main(["import", str(path), "--dry-run"]) == 0
    said = capsys.readouterr().out
    assert f"changed {events[0]['slug']}: title" in said
    assert "created a-brand-new-event" in said
    assert "1 created, 1 changed" in said and "nothing was saved" in said
    assert _counts(seeded) == before
    assert client.get("/api/v1/events/a-brand-new-event").status_code == 404

    assert cli.main(["import", str(path), "--author", "newsroom"]) == 0
    assert client.get("/api/v1/events/a-brand-new-event").status_code == 200
    history = client.get("/api/v1/events/a-brand-new-event/revisions").json()["items"]
    assert history[0]["author"] == "newsroom"


def _row(slug: str, **fields: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "title": f"Event {slug}",
        "kind": "meeting",
        "status": "held",
        "start_date": "2026-02-01",
        "date_precision": "day",
        "date_approximate": False,
        "place": None,
        "series": None,
        "participants": [],
        "tags": [],
        "sources": [],
        "summary": "",
        "body": "",
        **fields,
    }


def test_a_bad_csv_row_is_named_by_line_and_column_and_nothing_is_saved(
    database: Database,
) -> None:
    rows = [
        _row("first-new"),
        _row("second-new", body="spans\nthree\nlines"),
        _row("third-new", start_date="2026-02-30"),
    ]
    with pytest.raises(imports.ImportRefused) as refused:
        _import(database, "events.csv", csv_bytes(rows))
    assert str(refused.value).startswith("events.csv row 4 (line 6), start_date: ")
    assert _counts(database) == (0, 0)


def test_a_bad_ndjson_row_names_the_path_of_its_field(database: Database) -> None:
    rows = [
        _row("fine"),
        _row("names-nobody", participants=[{"actor": "nobody", "role": "party"}]),
    ]
    with pytest.raises(imports.ImportRefused) as refused:
        _import(database, "events.ndjson", ndjson_bytes(rows))
    message = str(refused.value)
    assert message.startswith("events.ndjson line 2, participants.0.actor: ")
    assert "nobody" in message
    assert _counts(database) == (0, 0)


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        (
            "events.csv",
            "slug,title,kind,start_date\nx,Genève,talks,2026-01-01\n".encode("latin-1"),
            "events.csv is not UTF-8 text (line 2",
        ),
        ("events.csv", b"slug,title,start_date\nx,Talks,2026-01-01\n", "no kind column"),
        ("events.ndjson", b"slug,title\n", "events.ndjson line 1: not JSON"),
        ("events.ndjson", b'[{"slug": "x"}]\n', "line 1: not an event"),
        ("events.ndjson", b'{"slug": "x", "participants": "russia"}\n', "line 1, participants"),
        ("events.csv", b"", "is empty"),
    ],
)
def test_a_file_in_the_wrong_encoding_or_shape_is_refused(
    database: Database, name: str, data: bytes, said: str
) -> None:
    with pytest.raises(imports.ImportRefused) as refused:
        _import(database, name, data)
    assert said in str(refused.value)
    assert _counts(database) == (0, 0)


def test_the_command_refuses_a_bad_file_in_one_line(
    database: Database,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "events.ndjson"
    path.write_text(json.dumps(_row("ok")) + "\n" + json.dumps(_row("bad", kind="party")) + "\n")
    monkeypatch.setenv("PARLEY_DATABASE_URL", database.url)
    assert cli.main(["import", str(path)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("parley: events.ndjson line 2, kind: ") and "\n" not in error
    assert _counts(database) == (0, 0)
