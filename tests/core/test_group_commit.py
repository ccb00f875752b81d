"""The group commit's own rules, on the real database: a write whose request goes away before
its turn is never written; a group whose leader goes away is still committed and answered; a
write whose flush fails leaves nothing for the next one; an error that is not one write's
own fails the whole group; a group the database rolls back to break a deadlock is written
again one write at a time."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from app.core.database import Database
from app.events import reading, service
from app.events.models import Event
from app.events.schemas import EventCreate
from app.users import service as users
from tests.timeline.test_facets import kept_tallies, plain_tallies


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
        for name, task in (("gone", gone), ("second", second)):
            with contextlib.suppress(asyncio.CancelledError):
                answers[name] = await task
            if task.cancelled():
                answers[name] = "cancelled"
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


def _grouped(database: Database, *works: Callable[[Session], object]) -> list[object]:
    """Run the works as one group: each answer, or the error it raised."""
    started, go = threading.Event(), threading.Event()

    async def scenario() -> list[object]:
        run: Callable = database.group_commit.run
        first = asyncio.create_task(run(_token("holds the turn", started=started, go=go)))
        await _until(started)
        tasks = [asyncio.create_task(run(work)) for work in works]
        await asyncio.sleep(0.05)
        go.set()
        await first
        return list(await asyncio.gather(*tasks, return_exceptions=True))

    return asyncio.run(scenario())


def _event(title: str) -> EventCreate:
    return EventCreate.model_validate(
        {"title": title, "kind": "statement", "start_date": "2026-05-05", "tags": []}
    )


def test_a_write_whose_flush_fails_leaves_nothing_for_the_next(database: Database) -> None:
    def fails_after_its_insert(session: Session) -> object:
        made = service.create(session, data=_event("Made then undone"), author="tester")
        # Both noted for indexing, then refused by the slug's constraint: the event made
        # above goes with the SAVEPOINT, and must not be indexed by the next write's flush.
        made.summary = "Changed in the flush that fails"
        session.add(Event(slug=made.slug, title="Same slug", kind="statement", status="held"))
        session.flush()
        return made.slug

    def creates(session: Session) -> object:
        event = service.create(session, data=_event("Saved after it"), author="tester")
        return reading.to_read(event).model_dump(mode="json")

    failed, saved = _grouped(database, fails_after_its_insert, creates)
    assert isinstance(failed, IntegrityError), failed
    assert isinstance(saved, dict), saved
    with database.session() as session:
        titles = set(session.scalars(select(Event.title)))
        assert titles == {"Saved after it"}
        event = reading.get_by_slug(session, slug=str(saved["slug"]))
        assert reading.to_read(event).model_dump(mode="json") == saved
        assert kept_tallies(session) == plain_tallies(session)


def test_an_error_not_one_writes_own_fails_the_whole_group(database: Database) -> None:
    def breaks_the_transaction(session: Session) -> object:
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    answers = _grouped(database, _token("before it"), breaks_the_transaction, _token("after it"))
    assert all(isinstance(answer, OperationalError) for answer in answers), answers
    with database.session() as session:
        assert {token.name for token in users.get_tokens(session)} == {"holds the turn"}


def test_a_group_rolled_back_to_break_a_deadlock_is_written_again_write_by_write(
    database: Database,
) -> None:
    if database.is_sqlite:
        pytest.skip("SQLite takes one writer at a time: no deadlock between writers")
    with database.session(write=True) as session:
        for name in ("a", "b"):
            users.create_token(session, name=name)
    runs: list[str] = []
    b_next = threading.Event()

    def rename(name: str) -> Callable[[Session], object]:
        def work(session: Session) -> object:
            runs.append(name)
            if name == "b":
                b_next.set()  # about to wait for the row another transaction holds
            update = "UPDATE api_token SET name = :new WHERE name = :old"
            session.execute(text(update), {"new": f"{name}-renamed", "old": name})
            return name

        return work

    def holder() -> None:
        # Holds b's row, then asks for a's, which the group holds: a deadlock, which the
        # group's side (the sooner to look, at PostgreSQL's default 1 s) is told of.
        with database.engine.connect() as connection:
            connection.execute(text("SET deadlock_timeout = '20s'"))
            connection.execute(text("SELECT 1 FROM api_token WHERE name = 'b' FOR UPDATE"))
            held.set()
            assert b_next.wait(timeout=30)
            time.sleep(0.2)
            connection.execute(text("SELECT 1 FROM api_token WHERE name = 'a' FOR UPDATE"))
            time.sleep(0.2)
            connection.rollback()

    held = threading.Event()
    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(timeout=30)
    answers = _grouped(database, rename("a"), rename("b"))
    thread.join(timeout=60)
    assert answers == ["a", "b"]
    assert runs == ["a", "b", "a", "b"], runs  # the group, then each alone
    with database.session() as session:
        names = {token.name for token in users.get_tokens(session)}
    assert names == {"holds the turn", "a-renamed", "b-renamed"}
