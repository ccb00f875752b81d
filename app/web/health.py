"""/healthz: does the database answer?"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from app.core.deps import DatabaseDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str
    error: str | None = None


@router.get(
    "/healthz",
    summary="Whether the app and its database answer",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database does not answer."}},
)
def healthz(database: DatabaseDep) -> Any:
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database is the answer
        return JSONResponse(
            {
                "status": "unavailable",
                "database": database.engine.dialect.name,
                "error": type(exc).__name__,
            },
            status_code=503,
        )
    return {"status": "ok", "database": database.engine.dialect.name}
