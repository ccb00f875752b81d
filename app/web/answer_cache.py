"""Whole answers of the event reads (`GET /api/v1/events`, `/api/v1/events/{slug}` and
`/api/v1/timeline`) kept in memory per worker, and used only while the data version has not moved.

Every request still asks the database for the data version (one single-row read by primary
key); a hit then costs that and a dictionary lookup instead of loading and serializing up to
hundreds of events. An answer is kept under the version read *before* it was built, and the
query that builds it runs after that read, so it is never older than its version: a reader
can never be served something a fresh query would no longer show.

Answers that depend on more than the URL are not kept: requests with `Authorization` or
`If-None-Match`, and anything but a 200. The date is part of the key, since
`awaiting_confirmation` turns true when a planned day passes.

A miss is built once however many requests wait for it: the first request for a (version,
URL) builds the answer, and the requests for the same one that arrive meanwhile wait for it
and are answered from memory (single flight). Right after a write every cached URL misses at
once; without this, each of them would be built by every request asking for it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import NamedTuple

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.data_version import KeptWhileUnchanged, current_version
from app.core.database import Database

_CACHED_PATH = re.compile(r"/api/v1/(events(/[^/]+)?|timeline)")
_PERSONAL_HEADERS = frozenset({b"authorization", b"if-none-match"})

Key = tuple[str, bytes, str, bytes, bytes, dt.date]


class _Answer(NamedTuple):
    """A 200 answer as it left the app: its headers and body."""

    headers: list[tuple[bytes, bytes]]
    body: bytes


class AnswerCache:
    """Pure ASGI middleware; `budget_bytes` bounds the bodies kept (least recently used go)."""

    def __init__(self, app: ASGIApp, *, database: Database, budget_bytes: int) -> None:
        self.app = app
        self.database = database
        self.answers = KeptWhileUnchanged[_Answer](budget_bytes, weigh=lambda a: len(a.body))
        #: The answers being built now, by (version, key): who asks for one waits for it.
        self.building: dict[tuple[int, Key], asyncio.Event] = {}
        #: How many answers were built here (misses that ran the app), for tests.
        self.builds = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            not self.answers.budget
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or not _CACHED_PATH.fullmatch(scope["path"])
            or any(name in _PERSONAL_HEADERS for name, _ in scope["headers"])
        ):
            await self.app(scope, receive, send)
            return

        version = await self._version()
        if version is None:
            await self.app(scope, receive, send)
            return
        key = self._key(scope)
        answer = self.answers.lookup(version, key)
        flight = self.building.get((version, key))
        if answer is None and flight is not None:
            await flight.wait()
            answer = self.answers.lookup(version, key)
        if answer is not None:
            headers = list(answer.headers)  # outer middleware may add to them
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": answer.body})
            return
        if flight is not None:
            # The one it waited for was not kept (not a 200, or too large): its own.
            await self.app(scope, receive, send)
            return
        flight = self.building[(version, key)] = asyncio.Event()
        try:
            await self._build(scope, receive, send, version, key)
        finally:
            del self.building[(version, key)]
            flight.set()

    async def _version(self) -> int | None:
        """The data version. SQLite reads its one row from the file in microseconds, less
        than a hop into the thread pool and back costs (and under a busy writer each hop
        waits for the interpreter's lock): read on the event loop, on a connection of its
        own. PostgreSQL's round trip is waited for in a thread."""
        engine = self.database.version_engine
        if self.database.is_sqlite:
            return current_version(engine)
        return await run_in_threadpool(current_version, engine)

    async def _build(
        self, scope: Scope, receive: Receive, send: Send, version: int, key: Key
    ) -> None:
        """Run the app for this request, and keep its answer if it is a 200."""
        self.builds += 1
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        if start.get("status") == 200:
            answer = _Answer(list(start.get("headers", [])), b"".join(chunks))
            self.answers.keep(version, key, answer)

    @staticmethod
    def _key(scope: Scope) -> Key:
        host = next((value for name, value in scope["headers"] if name == b"host"), b"")
        return (
            scope["scheme"],
            host,
            scope.get("root_path", ""),
            scope["path"].encode(),
            scope["query_string"],
            dt.datetime.now(dt.UTC).date(),
        )
