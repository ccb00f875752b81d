"""Datasette over the benchmark's SQLite file, as an ASGI app for uvicorn (`--factory`), so
that it is served exactly as Parley is: one process, no access log."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from datasette.app import Datasette


def create_app() -> Any:
    """What `datasette serve FILE --setting suggest_facets off` runs, minus the log line per
    request: its start-up hooks run when uvicorn starts the app, as under its own command."""
    path = Path(os.environ["BENCH_DATASETTE_FILE"])
    datasette = Datasette(
        [str(path)],
        # The full-text index is keyed by event.search_key (migration 0015), not the rowid.
        metadata={
            "databases": {
                path.stem: {"tables": {"event": {"fts_table": "event_fts", "fts_pk": "search_key"}}}
            }
        },
        # Suggesting facets runs a grouped query per column on every table page (2.5 s a
        # page at 100k events): off, Datasette answers a page in about 15 ms of CPU.
        settings={"default_page_size": 50, "suggest_facets": False},
    )
    app = datasette.app()

    async def asgi(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await datasette.invoke_startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    return asgi
