"""The hot reads build their answers in at most `READ_THREADS` threads at once: the others wait
their turn, and every one gets its whole answer."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from app.core.database import Database
from app.core.deps import READ_THREADS
from app.core.settings import ROOT, Settings
from app.main import create_app

#: Each statement held this long, so that reads let in together overlap.
HOLD_SECONDS = 0.03


@pytest.fixture
def slow_statements(seeded: Database) -> Iterator[list[int]]:
    """How many statements were running at each statement's start, every one held a while."""
    running, seen, lock = [0], [], threading.Lock()

    def before(*_args: Any) -> None:
        with lock:
            running[0] += 1
            seen.append(running[0])
        time.sleep(HOLD_SECONDS)

    def after(*_args: Any) -> None:
        with lock:
            running[0] -= 1

    engine = seeded.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def test_eight_reads_at_once_run_two_at_a_time_and_all_answer(
    seeded: Database, slow_statements: list[int]
) -> None:
    settings = Settings(
        database_url=seeded.url, secret_key="k" * 32, response_cache_mb=0, seeds_dir=ROOT / "seeds"
    )
    app = create_app(settings, database=seeded)
    paths = [f"/api/v1/events?limit={n}" for n in range(1, 5)]
    paths += ["/api/v1/events/abu-dhabi-talks-round-1"] * 4

    async def read_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await asyncio.gather(*(client.get(path) for path in paths))

    answers = asyncio.run(read_all())

    assert [answer.status_code for answer in answers] == [200] * len(paths)
    assert [len(answer.json()["items"]) for answer in answers[:4]] == [1, 2, 3, 4]
    assert {answer.json()["slug"] for answer in answers[4:]} == {"abu-dhabi-talks-round-1"}
    # Eight reads asked at once: never more than READ_THREADS of them in the database.
    assert slow_statements, "the reads sent no statement"
    assert max(slow_statements) == READ_THREADS == 2
