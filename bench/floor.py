"""The floor: a bare FastAPI app that answers the first page's exact bytes from memory.

What the framework and server cost with no database and no serialization; served by
uvicorn the same way as Parley (`python -m uvicorn bench.floor:create_app --factory`).
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Response


def create_app() -> FastAPI:
    body = Path(os.environ["BENCH_FLOOR_BODY"]).read_bytes()
    app = FastAPI()

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/v1/events")
    def events() -> Response:
        return Response(content=body, media_type="application/json")

    return app
