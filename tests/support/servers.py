"""The app behind a real HTTP server for the tests that need one: uvicorn in a thread, and
the app as a user meets it (a SQLite file, migrated and seeded)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from app.cli import migrate
from app.core.database import Database
from app.core.settings import ROOT, Settings
from app.main import create_app
from app.seeds import load
from bench.server import free_port
from tests.support import bulk

__all__ = ["LiveServer", "free_port", "running", "seeded_server"]


@contextmanager
def running(app: Any, **config: Any) -> Iterator[str]:
    """Serve `app` on a free loopback port until the block ends; yields its base URL. The
    socket is bound here and handed to uvicorn, so no other server (another test run on the
    machine) can take the port between choosing it and listening on it."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


@dataclass
class LiveServer:
    url: str
    database: Database
    settings: Settings

    def api(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)


@contextmanager
def seeded_server(directory: Path, *, fill: int = 0, **settings: Any) -> Iterator[LiveServer]:
    """The app as a user meets it: a SQLite file in `directory`, migrated and seeded (plus
    `fill` synthetic events), served by uvicorn on loopback."""
    database_url = f"sqlite:///{directory / 'parley.db'}"
    migrate(database_url)
    database = Database(database_url)
    try:
        with database.session(write=True) as session:
            load(session, ROOT / "seeds")
        if fill:
            bulk.fill(database, fill)
        config = Settings(database_url=database_url, site_title="Parley", **settings)
        with running(create_app(config, database=database)) as url:
            yield LiveServer(url=url, database=database, settings=config)
    finally:
        database.dispose()
