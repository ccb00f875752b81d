"""A client generated from /openapi.json with openapi-python-client reads well (operation ids
are verbs) and works: it lists, creates and patches an event on a live server."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.users import service
from tests.support.servers import seeded_server

GENERATOR = str(Path(sys.executable).with_name("openapi-python-client"))


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[tuple[Any, str]]:
    """The generated package (imported from a temporary folder) and a live server's URL with
    a token for it."""
    with seeded_server(tmp_path) as server:
        with server.database.session(write=True) as session:
            token = service.create_token(session, name="client")
        (tmp_path / "openapi.json").write_bytes(
            httpx.get(server.url + "/openapi.json", timeout=60).content
        )
        subprocess.run(
            [
                GENERATOR,
                "generate",
                "--path",
                "openapi.json",
                "--meta",
                "none",
                "--output-path",
                "parley_client",
            ],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            timeout=300,
        )
        sys.path.insert(0, str(tmp_path))
        try:
            yield importlib.import_module("parley_client"), f"{server.url}|{token}"
        finally:
            sys.path.remove(str(tmp_path))
            for name in [m for m in sys.modules if m.split(".")[0] == "parley_client"]:
                del sys.modules[name]


def test_a_generated_client_lists_creates_and_patches(generated: tuple[Any, str]) -> None:
    package, where = generated
    url, token = where.split("|")
    api = importlib.import_module("parley_client.api.events")
    assert {"list_events", "get_event", "create_event", "patch_event", "put_event"} <= {
        path.stem for path in Path(api.__path__[0]).glob("*.py")
    }
    list_events = importlib.import_module("parley_client.api.events.list_events")
    create_event = importlib.import_module("parley_client.api.events.create_event")
    patch_event = importlib.import_module("parley_client.api.events.patch_event")
    models = importlib.import_module("parley_client.models")
    client = package.AuthenticatedClient(base_url=url, token=token, timeout=httpx.Timeout(60))

    page = list_events.sync(client=client, limit=3)
    assert isinstance(page, models.EventPage) and len(page.items) == 3 and page.next_cursor

    made = create_event.sync_detailed(
        client=client,
        body=models.EventCreate.from_dict(
            {
                "title": "Made by a client",
                "kind": "call",
                "start_date": "2026-04-02",
                "start_time": "09:30",
            }
        ),
    )
    assert made.status_code == 201, made.content
    assert made.parsed.start_time == "09:30:00"
    patched = patch_event.sync(
        made.parsed.slug,
        client=client,
        body=models.EventUpdate.from_dict({"title": "Patched by a client"}),
        if_match=made.headers["etag"],
    )
    assert isinstance(patched, models.EventRead)
    assert patched.title == "Patched by a client" and patched.version == 2
