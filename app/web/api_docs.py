"""The API's description: /openapi.json with problem+json errors, and /docs served from here
(Swagger UI from static/vendor, no request to another host)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from app.common.pages import templates

router = APIRouter(include_in_schema=False)

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "api/docs.html",
        {"site_title": request.app.state.settings.site_title},
    )


def _describe(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=(
            "Read and write the timeline. Reads are open; writes need "
            "`Authorization: Bearer <token>` (from `parley tokens create NAME`). Every error "
            "is `application/problem+json`; event writes need `If-Match` with the event's "
            "`ETag`."
        ),
        routes=app.routes,
    )
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    # FastAPI's own validation error shapes are not what we answer: every error is a Problem.
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    components.setdefault("securitySchemes", {})
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            # Any endpoint can fail; the document says so, and in what shape.
            responses.setdefault(
                "500", {"description": "Something failed on our side; nothing was saved."}
            )
            for code, answer in responses.items():
                if code.isdigit() and int(code) >= 400:
                    answer["content"] = {"application/problem+json": {"schema": _PROBLEM_REF}}
                    if code == "422":
                        answer["description"] = (
                            "Input that is wrong; `errors` names each field (`loc`)."
                        )
    return schema


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _describe(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.include_router(router)
