"""The group commit's own rules, on the real database: a write whose request goes away before
its turn is never written; a group whose leader goes away is still committed and answered."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session

from app.core.database import Database
from app.users import service as users


def _token(name: str, *, started: threading.Event | None = None, go: threading.Event | None = None):
    def work(session: Session) -> str:
        if started is not None and go is not None:
            started.set()
            assert go.wait(timeout=30)
        users.create_token(session, name=name)
        return name

    return work


async def _until(event: threading.Event) -> None:
    for _ in range(3000):
        if event.is_set():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the write never started")


def test_writes_whose_requests_go_away(database: Database) -> None:
    first_started, first_go = threading.Event(), threading.Event()
    second_started, second_go = threading.Event(), threading.Event()

    async def scenario() -> dict[str, object]:
        run: Callable = database.group_commit.run
        first = asyncio.create_task(run(_token("first", started=first_started, go=first_go)))
        await _until(first_started)
        # Waiting while the first is written: "gone" goes away before its turn.
        gone = asyncio.create_task(run(_token("gone")))
        second = asyncio.create_task(run(_token("second", started=second_started, go=second_go)))
        third = asyncio.create_task(run(_token("third")))
        await asyncio.sleep(0.05)
        gone.cancel()
        first_go.set()
        answers: dict[str, object] = {"first": await first}
        # "second" leads the next group, with "third"; it goes away while the group is written.
        await _until(second_started)
        second.cancel()
        second_go.set()
        answers["third"] = await third
        for task in (gone, second):
            try:
                await task
            except asyncio.CancelledError:
                answers[(task is gone and "gone") or "second"] = "cancelled"
        return answers

    answers = asyncio.run(scenario())
    assert answers == {
        "first": "first",
        "third": "third",
        "gone": "cancelled",
        "second": "cancelled",
    }
    with database.session() as session:
        names = {token.name for token in users.get_tokens(session)}
    # The write that went away before its turn was not written; the group whose leader went
    # away was written whole.
    assert names == {"first", "second", "third"}
