"""The sign-in cookie: signed, HttpOnly, naming the editor's session; and where to sign in."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from app.users.sessions import ABSOLUTE_LIFETIME

COOKIE = "parley_session"
COOKIE_MAX_AGE = int(ABSOLUTE_LIFETIME.total_seconds())


def _serializer(request: Request) -> URLSafeTimedSerializer:
    secret = request.app.state.secret_key
    return URLSafeTimedSerializer(secret, salt="parley-session")


def read_cookie(request: Request) -> dict[str, Any] | None:
    """The signed cookie's content ({"t": token, "u": name}), or None if absent or forged."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer(request).loads(raw, max_age=COOKIE_MAX_AGE)
    except BadSignature:
        return None
    return data if isinstance(data, dict) and "t" in data else None


def set_cookie(request: Request, response: Response, *, token: str, username: str) -> None:
    value = _serializer(request).dumps({"t": token, "u": username})
    response.set_cookie(
        COOKIE,
        value,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")


def login_url(request: Request) -> str:
    """Where to send someone who must sign in first, coming back here afterwards."""
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    return "/login?next=" + quote(target, safe="/")


def account_name(request: Request) -> str | None:
    """The signed-in name for the site navigation. Read from the signed cookie alone, so a page
    view needs no query; anything that writes checks the session row (`deps.get_editor`)."""
    if hasattr(request.state, "editor"):
        editor = request.state.editor
        return editor.username if editor is not None else None
    data = read_cookie(request)
    return str(data["u"]) if data else None
