"""Typed FastAPI dependencies: the database and the request's session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

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


DatabaseDep = Annotated[Database, Depends(get_database)]
# scope="function": the commit happens before the response is sent, so a 201 means saved.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
