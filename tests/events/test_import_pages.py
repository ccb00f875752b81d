"""The editor's import page (/import) over a real database: signed-in editors only, a dry
run that saves nothing, confirm to apply the very file checked, errors with line and field,
and a size limit."""

from __future__ import annotations

import html
import random
import re
import string
from typing import Any

import pytest

from app.core.database import Database
from app.events.import_pages import MAX_IMPORT_BYTES
from tests.support.exports import csv_bytes, every_event, ndjson_bytes
from tests.support.signing_in import csrf_from, make_user, sign_in


@pytest.fixture
def editor(client: Any, seeded: Database) -> Any:
    """The client over the seed timeline, signed in as 'editor'."""
    make_user(seeded, "editor")
    assert sign_in(client, "editor").status_code == 303
    return client


def upload(client: Any, name: str, data: bytes) -> Any:
    token = csrf_from(client.get("/import").text)
    return client.post("/import", data={"csrf_token": token}, files={"file": (name, data)})


def hidden_fields(page: str) -> dict[str, str]:
    """The confirm form's hidden inputs, as the browser would send them back."""
    confirm = page[page.index('name="apply"') - 400 :]
    pairs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', confirm)
    return {name: html.unescape(value) for name, value in pairs}


def test_only_signed_in_editors_import(client: Any, seeded: Database) -> None:
    answer = client.get("/import", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")
    token = csrf_from(client.get("/login").text)
    posted = client.post(
        "/import", data={"csrf_token": token}, files={"file": ("events.csv", b"slug\n")}
    )
    assert posted.status_code == 401


def test_check_then_confirm_imports_the_file_checked(editor: Any) -> None:
    assert '<a href="/import">Import</a>' in editor.get("/").text  # in the editor's nav
    events = every_event(editor)
    events[0]["title"] = "Renamed in the spreadsheet"
    new = {**events[1], "slug": "from-the-spreadsheet", "title": "From the spreadsheet"}
    data = csv_bytes([*events, new])

    checked = upload(editor, "events.csv", data)
    assert checked.status_code == 200
    assert 'data-count="created">1<' in checked.text
    assert 'data-count="changed">1<' in checked.text
    assert f'data-count="unchanged">{len(events) - 1}<' in checked.text
    assert 'data-slug="from-the-spreadsheet" data-action="created"' in checked.text
    assert "(title)" in checked.text
    # Nothing is saved by the check.
    assert editor.get("/api/v1/events/from-the-spreadsheet").status_code == 404
    assert editor.get(f"/api/v1/events/{events[0]['slug']}").json()["title"] != new["title"]

    done = editor.post("/import", data=hidden_fields(checked.text))
    assert done.status_code == 200
    assert "Imported events.csv" in done.text and "1 created, 1 changed" in done.text
    assert editor.get("/api/v1/events/from-the-spreadsheet").status_code == 200
    title = editor.get(f"/api/v1/events/{events[0]['slug']}").json()["title"]
    assert title == "Renamed in the spreadsheet"
    history = editor.get(f"/api/v1/events/{events[0]['slug']}/revisions").json()["items"]
    assert history[-1]["author"] == "import"
    assert history[-1]["reason"] == "imported from events.csv by editor"

    again = upload(editor, "events.csv", data)
    assert "Nothing to change" in again.text and 'name="apply"' not in again.text


def test_a_confirm_for_another_file_than_the_one_checked_saves_nothing(editor: Any) -> None:
    events = every_event(editor)
    events[0]["title"] = "Checked title"
    checked = upload(editor, "events.ndjson", ndjson_bytes(events))
    fields = hidden_fields(checked.text)
    fields["digest"] = "0" * 64  # the page was for another file
    answer = editor.post("/import", data=fields)
    assert "differs from the one checked" in answer.text
    assert editor.get(f"/api/v1/events/{events[0]['slug']}").json()["title"] != "Checked title"


def test_a_bad_row_is_shown_with_its_row_line_and_field_and_nothing_is_saved(editor: Any) -> None:
    events = every_event(editor)
    events[0]["title"] = "Would be renamed"
    events[2]["start_date"] = "2026-02-30"
    data = csv_bytes(events)
    text = data.decode()
    # Bodies span lines: the row starts on the line after the newline before its slug.
    line = text[: text.index(f"\r\n{events[2]['slug']},")].count("\n") + 2
    answer = upload(editor, "events.csv", data)
    assert answer.status_code == 422
    # The third event is the spreadsheet's fourth row (the header is the first).
    assert f"events.csv row 4 (line {line}), start_date:" in html.unescape(answer.text)
    assert 'role="alert"' in answer.text and 'type="file"' in answer.text
    assert editor.get(f"/api/v1/events/{events[0]['slug']}").json()["title"] != "Would be renamed"


def test_a_file_not_in_utf8_is_refused_with_a_clear_message(editor: Any) -> None:
    answer = upload(
        editor,
        "events.csv",
        "slug,title,kind,start_date\nx,Genève,talks,2026-01-01\n".encode("cp1252"),
    )
    assert answer.status_code == 422
    assert "is not UTF-8 text" in answer.text


def test_a_file_over_the_limit_is_refused_before_it_is_read(editor: Any) -> None:
    token = csrf_from(editor.get("/import").text)
    big = b"x" * (MAX_IMPORT_BYTES + 100_000)
    answer = editor.post("/import", data={"csrf_token": token}, files={"file": ("big.csv", big)})
    assert answer.status_code == 413


def test_a_file_too_big_to_carry_is_chosen_again_to_confirm(editor: Any) -> None:
    rng = random.Random(13)
    letters = string.ascii_letters + string.digits + " "
    rows = [
        {
            **every_event(editor)[0],
            "slug": f"long-read-{n}",
            "body": "".join(rng.choice(letters) for _ in range(95_000)),
        }
        for n in range(12)
    ]
    data = csv_bytes(rows)
    checked = upload(editor, "long.csv", data)
    assert checked.status_code == 200 and 'data-count="created">12<' in checked.text
    assert 'name="carried"' not in checked.text and "Choose long.csv again" in checked.text
    fields = hidden_fields(checked.text)
    done = editor.post("/import", data=fields, files={"file": ("long.csv", data)})
    assert "Imported long.csv" in done.text
    assert editor.get("/api/v1/events/long-read-11").status_code == 200
