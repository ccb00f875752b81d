"""Rendering HTML: the Jinja environment and the page helper every HTML view uses."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.core.settings import ROOT

templates = Jinja2Templates(directory=ROOT / "templates")


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
