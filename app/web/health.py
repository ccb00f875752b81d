"""/healthz: does the database answer, and does it take writes?"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.core.database import SQLITE_BUSY_TIMEOUT_MS
from app.core.deps import DatabaseDep
from app.core.storage import STORAGE_WORDS, refusal_kind
from app.web.problems import problem

router = APIRouter(tags=["health"])

#: How long the SQLite write probe waits for another writer, in milliseconds.
PROBE_WAIT_MS = 50


class Health(BaseModel):
    status: str
    database: str


def _write_refusal(database: DatabaseDep, connection: Any) -> str | None:
    """Why writes cannot succeed now, or None: a write refused within the last minute (a full
    disk shows no other way), PostgreSQL saying its transactions are read-only, or SQLite
    refusing a write that changes nothing (rolled back when the connection closes)."""
    recent = database.storage.recent()
    if recent is not None:
        return recent
    if not database.is_sqlite:
        read_only = connection.execute(text("SHOW transaction_read_only")).scalar()
        return "read-only" if read_only == "on" else None
    # Not waiting for a writer that holds the lock: a busy database is not a refusing one.
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {PROBE_WAIT_MS}")
    try:
        connection.execute(text("UPDATE data_version SET version = version WHERE id = 1"))
    except OperationalError as exc:
        kind = refusal_kind(exc)
        if kind is not None:
            database.storage.refused(kind, exc)
        return kind
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    return None


@router.get(
    "/healthz",
    summary="Whether the app and its database answer, and take writes",
    operation_id="get_health",
    response_model=Health,
    responses={503: {"description": "The database does not answer, or refuses writes."}},
)
def healthz(database: DatabaseDep) -> Any:
    name = database.engine.dialect.name
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            refused = _write_refusal(database, connection)
    except Exception as exc:  # any failure to reach the database is the answer
        detail = f"the database does not answer ({type(exc).__name__})"
        return problem(503, "Service Unavailable", detail, database=name)
    if refused is not None:
        detail = f"the database refuses writes: {STORAGE_WORDS[refused]}"
        return problem(503, "Service Unavailable", detail, database=name)
    return {"status": "ok", "database": name}
