"""The sign-in cookie: signed, HttpOnly, naming the editor's session; and where to sign in."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from app.users.sessions import ABSOLUTE_LIFETIME

COOKIE = "parley_session"
COOKIE_MAX_AGE = int(ABSOLUTE_LIFETIME.total_seconds())
#: The device cookie (OWASP's "device cookie" against lockouts): a browser that signed in
#: as an editor before says so, and its tries for that name count apart from everyone's.
DEVICE_COOKIE = "parley_device"
DEVICE_COOKIE_MAX_AGE = 180 * 24 * 3600


#: Each cookie signs with its own salt, so that one can never be passed off as the other.
_SALTS = {COOKIE: "parley-session", DEVICE_COOKIE: "parley-device"}
_MAX_AGES = {COOKIE: COOKIE_MAX_AGE, DEVICE_COOKIE: DEVICE_COOKIE_MAX_AGE}


def _serializer(request: Request, cookie: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt=_SALTS[cookie])


def _signed(request: Request, cookie: str) -> Any:
    """What the cookie holds if it is present, signed here and not too old; else None."""
    raw = request.cookies.get(cookie)
    if not raw:
        return None
    try:
        return _serializer(request, cookie).loads(raw, max_age=_MAX_AGES[cookie])
    except BadSignature:
        return None


def read_cookie(request: Request) -> dict[str, Any] | None:
    """The signed cookie's content ({"t": token, "u": name}), or None if absent or forged."""
    data = _signed(request, COOKIE)
    return data if isinstance(data, dict) and "t" in data else None


def set_cookie(request: Request, response: Response, *, token: str, username: str) -> None:
    value = _serializer(request, COOKIE).dumps({"t": token, "u": username})
    response.set_cookie(
        COOKIE,
        value,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def read_device(request: Request, *, username: str) -> str | None:
    """The id of this browser's device cookie if it was given for this name, else None."""
    data = _signed(request, DEVICE_COOKIE)
    if not isinstance(data, dict) or data.get("u") != username.strip()[:80]:
        return None
    device = data.get("d")
    return device if isinstance(device, str) else None


def set_device(request: Request, response: Response, *, username: str) -> None:
    """After a right password: a new device cookie for this name (each one is worth one
    window of tries, so a stolen one buys little)."""
    value = _serializer(request, DEVICE_COOKIE).dumps(
        {"u": username, "d": secrets.token_urlsafe(16)}
    )
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_COOKIE_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/login",
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
    if hasattr(request.state, "editor_name"):
        name: str | None = request.state.editor_name
        return name
    data = read_cookie(request)
    return str(data["u"]) if data else None
