"""Rendering HTML: the Jinja environment, the page helper, error pages and security headers."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import ROOT

templates = Jinja2Templates(directory=ROOT / "templates")

# A strict policy: no inline script or style, nothing from another host. JavaScript may still
# set element.style, which is how the timeline positions its items.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)


def _static_version() -> str:
    """A short hash of static/, so browsers fetch new files after a deploy."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "static").rglob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()[:10]


STATIC_VERSION = _static_version()


def static_url(path: str) -> str:
    return f"/static/{path}?v={STATIC_VERSION}"


templates.env.globals["static_url"] = static_url


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    json_url: str | None = None,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """A page; `json_url` is its JSON twin, linked from the page and in a `Link` header."""
    settings = request.app.state.settings
    full_context = {
        "request": request,
        "site_title": settings.site_title,
        "allow_suggestions": settings.allow_suggestions,
        "json_url": json_url,
        **(context or {}),
    }
    response = templates.TemplateResponse(
        request, template, full_context, status_code=status_code, headers=headers
    )
    if json_url:
        response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


def render_error_page(
    request: Request, status: int, title: str, detail: str, **extra: Any
) -> Response:
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "detail": detail, **extra},
        status_code=status,
    )


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)


class SecurityHeaders:
    """Adds the security headers to every answer that does not set its own (pure ASGI: it
    costs a few microseconds, where a BaseHTTPMiddleware costs a task and a stream)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def install(app: FastAPI) -> None:
    app.state.render_error_page = render_error_page
    app.add_middleware(SecurityHeaders)
