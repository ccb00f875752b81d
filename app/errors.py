"""Domain errors, and the one place that turns any error into problem+json or an error page."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("parley")

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    """An error a service raises; it knows its HTTP status but nothing else of HTTP."""

    status = 400
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[dict[str, Any]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors or [])
        self.extra = dict(extra or {})


class NotFound(DomainError):
    status = 404
    title = "Not found"


class EventNotFound(NotFound):
    pass


class Gone(DomainError):
    status = 410
    title = "Gone"


class EventGone(Gone):
    """The event was deleted; `extra["tombstone"]` says what it was."""


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class EditConflict(DomainError):
    """Someone saved a newer version since this one was read."""

    status = 412
    title = "Precondition failed"


class PreconditionRequired(DomainError):
    status = 428
    title = "Precondition required"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class InvalidInput(DomainError):
    """Input that is well-formed but wrong; `errors` names each field."""

    status = 422
    title = "Unprocessable content"

    @classmethod
    def field(
        cls, loc: Sequence[str | int], message: str, kind: str = "value_error"
    ) -> InvalidInput:
        return cls(message, errors=[{"loc": list(loc), "msg": message, "type": kind}])


class InvalidDateRange(InvalidInput):
    pass


class UnknownReference(InvalidInput):
    """A slug in a write names an actor, place, series, tag or event that does not exist."""


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    type_: str = "about:blank",
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path in ("/openapi.json", "/healthz"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _clean_validation_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    cleaned = []
    for error in errors:
        item = {
            "loc": [part for part in error.get("loc", ()) if part != "body"] or ["body"],
            "msg": str(error.get("msg", "is not valid")).removeprefix("Value error, "),
            "type": str(error.get("type", "value_error")),
        }
        cleaned.append(item)
    return cleaned


def render_error_page(
    request: Request, status: int, title: str, detail: str, **context: Any
) -> Response:
    """An HTML error page; the pages layer registers the real renderer on app.state."""
    renderer = getattr(request.app.state, "render_error_page", None)
    if renderer is not None:
        response: Response = renderer(request, status, title, detail, **context)
        return response
    return Response(f"{status} {title}: {detail}", status_code=status, media_type="text/plain")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> Response:
        if _wants_json(request):
            return problem(
                exc.status,
                exc.title,
                exc.detail,
                errors=exc.errors or None,
                **exc.extra,
            )
        return render_error_page(request, exc.status, exc.title, exc.detail, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = _clean_validation_errors(exc.errors())
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        if _wants_json(request):
            return problem(422, "Unprocessable content", detail, errors=errors)
        return render_error_page(request, 422, "Unprocessable content", detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title = _reason(exc.status_code)
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        headers = dict(exc.headers or {})
        if _wants_json(request):
            return problem(exc.status_code, title, detail, headers=headers)
        response = render_error_page(request, exc.status_code, title, detail or title)
        response.headers.update(headers)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        detail = "Something went wrong on our side; nothing was saved."
        if _wants_json(request):
            return problem(500, "Internal server error", detail)
        return render_error_page(request, 500, "Internal server error", detail)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
