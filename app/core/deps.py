"""Typed FastAPI dependencies: the database and the request's session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Concatenate, ParamSpec, TypeVar

import anyio
from anyio import to_thread
from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.core.database import Database

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: How many of the hot reads (`read_in_session`) build their answers at once in a process,
#: each in a worker thread; the others wait their turn on the event loop. Python runs one
#: thread at a time, so more at once only pass the interpreter back and forth, and that
#: costs CPU: at 100k events with four clients at once, the first page took 3.8 ms of CPU a
#: request in the thread pool's 40 threads, 2.4 ms in two and 2.0 in one. Two, not one, so
#: that a slow read (a rare combination of filters) does not hold up every other.
READ_THREADS = 2
_READS = anyio.CapacityLimiter(READ_THREADS)


def get_database(request: Request) -> Database:
    database: Database = request.app.state.db
    return database


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: it commits once if the route succeeds, else rolls back.

    Requests that may write take SQLite's write lock up front (BEGIN IMMEDIATE), so two
    writers queue instead of one failing with "database is locked".
    """
    database: Database = request.app.state.db
    with database.session(write=request.method not in SAFE_METHODS) as session:
        yield session


P = ParamSpec("P")
T = TypeVar("T")


async def read_in_session(
    request: Request,
    work: Callable[Concatenate[Session, P], T],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """Run `work` with a read session in one worker thread, for the hottest read routes, at
    most `READ_THREADS` at once.

    `SessionDep` costs a sync route three trips to the thread pool (open the session, run
    the route, close it); an `async` route that hands its whole read to this takes one.
    """
    database: Database = request.app.state.db

    def run() -> T:
        with database.quick_read_sessions() as session:
            return work(session, *args, **kwargs)

    return await to_thread.run_sync(run, limiter=_READS)


async def write_together(
    request: Request,
    work: Callable[Concatenate[Session, P], T],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """Run `work` with a write session in a worker thread, in one transaction with the other
    writes that wait for it (`app.core.group_commit`); its answer once committed.

    One trip to the writing thread, where a sync route with `SessionDep` makes three or more
    to the thread pool.
    """
    database: Database = request.app.state.db

    def bound(session: Session) -> T:
        return work(session, *args, **kwargs)

    answer: T = await database.group_commit.run(bound)
    return answer


DatabaseDep = Annotated[Database, Depends(get_database)]
# scope="function": the commit happens before the response is sent, so a 201 means saved.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
