"""The one error path: every error and refusal becomes problem+json for an API client, or an
error page for a person, decided by one rule (`wants_json`) and built by one builder each."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.common.pages import render
from app.core.deps import SAFE_METHODS
from app.core.errors import DomainError, SignInRequired
from app.core.storage import STORAGE_WORDS, refusal_kind
from app.users.cookies import login_url

log = logging.getLogger("parley")

PROBLEM_JSON = "application/problem+json"
#: Paths that always answer JSON, whatever the client accepts.
JSON_PATHS = ("/openapi.json", "/healthz", "/oembed")


def is_api_path(path: str) -> bool:
    """The REST API's paths: what the API guard checks, and what always answers JSON."""
    return path.startswith("/api/")


def wants_json(path: str, accept: str = "") -> bool:
    """The one rule: API paths answer problem+json, and so does a client that asks for JSON
    and not HTML; everyone else gets a page."""
    if is_api_path(path) or path in JSON_PATHS:
        return True
    return "application/json" in accept and "text/html" not in accept


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    type_: str = "about:blank",
    errors: Sequence[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """An RFC 9457 problem answer."""
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = list(errors)
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def error_page(
    request: Request,
    status: int,
    title: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    """An error page a person reads, with the site around it."""
    view = {"status": status, "title": title, "detail": detail, **context}
    return render(request, "errors/error.html", view, status_code=status, headers=headers)


def refusal(
    request: Request,
    status: int,
    title: str,
    detail: str,
    *,
    errors: Sequence[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """The answer to anything refused or failed: problem+json or a page, by `wants_json`."""
    if wants_json(request.url.path, request.headers.get("accept", "")):
        return problem(status, title, detail, errors=errors, headers=headers, **extra)
    return error_page(request, status, title, detail, headers=headers, **extra)


def reason(status: int) -> str:
    """The status in words: 'Not Found'."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _clean_validation_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "loc": [part for part in error.get("loc", ()) if part != "body"] or ["body"],
            "msg": str(error.get("msg", "is not valid")).removeprefix("Value error, "),
            "type": str(error.get("type", "value_error")),
        }
        for error in errors
    ]


def _sign_in_first(request: Request, exc: SignInRequired) -> Response:
    """A person is sent to sign in (or told a form was not saved); an API client is refused."""
    if wants_json(request.url.path, request.headers.get("accept", "")):
        return refusal(request, 401, "Unauthorized", exc.detail)
    if request.method in SAFE_METHODS:
        return RedirectResponse(login_url(request), status_code=303)
    # A form sent after the session ended: nothing is kept silently; say what happened.
    return error_page(
        request,
        401,
        "Sign in required",
        "Your session has ended, so this was not saved. Sign in in another tab, "
        "then go back and send the form again.",
    )


def install(app: FastAPI) -> None:
    """Every exception that reaches the app's edge goes through `refusal`."""

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> Response:
        if isinstance(exc, SignInRequired):
            return _sign_in_first(request, exc)
        return refusal(
            request, exc.status, exc.title, exc.detail, errors=exc.errors or None, **exc.extra
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = _clean_validation_errors(exc.errors())
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return refusal(request, 422, "Unprocessable content", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title = reason(exc.status_code)
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        # A page says something even where the status says it all; a problem says no more.
        if not wants_json(request.url.path, request.headers.get("accept", "")):
            detail = detail or title
        return refusal(
            request, exc.status_code, title, detail or "", headers=dict(exc.headers or {})
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> Response:
        # Two writers made the same record at once: a conflict to retry, not a failure.
        detail = "a concurrent change made the same record (a slug or URL); retry"
        return refusal(request, 409, "Conflict", detail)

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> Response:
        kind = refusal_kind(exc)
        if kind is not None:
            # Read-only or full: retrying in a second will not help, and the operator must
            # hear of it (logged once a minute; /healthz says so meanwhile).
            request.app.state.db.storage.refused(kind, exc)
            detail = f"the database refused the write ({STORAGE_WORDS[kind]}); nothing was saved"
            headers = {"Retry-After": "60"}
            return refusal(request, 503, "Service Unavailable", detail, headers=headers)
        if isinstance(exc, OperationalError):
            # A lock wait or a deadlock the database broke: nothing was saved, a retry works.
            return _busy(request)
        return _unexpected_error(request)

    @app.exception_handler(PoolTimeout)
    async def _no_connection(request: Request, exc: PoolTimeout) -> Response:
        # Every connection stayed taken as long as a writer waits for the lock (SQLite's one
        # writer's connection, or a pool all in use): busy, as a lock wait is.
        return _busy(request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        return _unexpected_error(request)


def _busy(request: Request) -> Response:
    detail = "the database was busy; nothing was saved; retry"
    return refusal(request, 503, "Service Unavailable", detail, headers={"Retry-After": "1"})


def _unexpected_error(request: Request) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    detail = "Something went wrong on our side; nothing was saved."
    return refusal(request, 500, "Internal server error", detail)
