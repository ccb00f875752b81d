"""Typed FastAPI dependencies: the database and the request's session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Concatenate, ParamSpec, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.core.database import Database

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
    """Run `work` with a read session in one worker thread, for the hottest read routes.

    `SessionDep` costs a sync route three trips to the thread pool (open the session, run
    the route, close it); an `async` route that hands its whole read to this takes one.
    """
    database: Database = request.app.state.db

    def run() -> T:
        with database.quick_read_sessions() as session:
            return work(session, *args, **kwargs)

    return await run_in_threadpool(run)


DatabaseDep = Annotated[Database, Depends(get_database)]
# scope="function": the commit happens before the response is sent, so a 201 means saved.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
