"""The session cookie in HTTP terms: who is signed in, and sending everyone else to sign in."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from starlette.responses import Response

from app.deps import SAFE_METHODS, SessionDep
from app.errors import DomainError
from app.users import sessions as session_service
from app.users.models import User

COOKIE = "parley_session"
COOKIE_MAX_AGE = int(session_service.ABSOLUTE_LIFETIME.total_seconds())


class SignInRequired(DomainError):
    """A page that writes was asked for by someone not signed in; pages send them to /login."""

    status = 401
    title = "Sign in required"


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


def get_editor(request: Request, session: SessionDep) -> User | None:
    """The signed-in editor, checked against the database (a revoked session is no one)."""
    if hasattr(request.state, "editor"):
        editor: User | None = request.state.editor
        return editor
    data = read_cookie(request)
    editor = None
    if data is not None:
        editor = session_service.get_user(
            session, token=str(data["t"]), touch=request.method not in SAFE_METHODS
        )
    request.state.editor = editor
    return editor


def require_editor(request: Request, editor: Annotated[User | None, Depends(get_editor)]) -> User:
    if editor is None:
        raise SignInRequired("Sign in to change the timeline.")
    return editor


EditorDep = Annotated[User, Depends(require_editor)]
MaybeEditorDep = Annotated[User | None, Depends(get_editor)]


def login_url(request: Request) -> str:
    """Where to send someone who must sign in first, coming back here afterwards."""
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    return "/login?next=" + quote(target, safe="/")


def account_name(request: Request) -> str | None:
    """The signed-in name for the site navigation. Read from the signed cookie alone, so a page
    view needs no query; anything that writes checks the session row (get_editor)."""
    if hasattr(request.state, "editor"):
        editor: User | None = request.state.editor
        return editor.username if editor is not None else None
    data = read_cookie(request)
    return str(data["u"]) if data else None


def pending_suggestions(request: Request) -> int:
    """How many suggestions wait for review (shown to signed-in editors only)."""
    from app.suggestions.models import Suggestion

    if not request.app.state.settings.allow_suggestions or account_name(request) is None:
        return 0
    with request.app.state.db.session() as session:
        count = session.scalar(
            select(func.count()).select_from(Suggestion).where(Suggestion.status == "pending")
        )
    return int(count or 0)


def install(app: FastAPI) -> None:
    """Template helpers for the navigation, and sending the signed-out to sign in."""
    from app import csrf
    from app.web import templates

    templates.env.globals["account_name"] = account_name
    templates.env.globals["pending_suggestions"] = pending_suggestions
    templates.env.globals["csrf_token"] = csrf.csrf_token

    async def _sign_in_first(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            from app.errors import problem

            return problem(401, "Unauthorized", str(exc))
        if request.method in SAFE_METHODS:
            return RedirectResponse(login_url(request), status_code=303)
        # A form sent after the session ended: keep nothing silently; say what happened.
        from app.errors import render_error_page

        return render_error_page(
            request,
            401,
            "Sign in required",
            "Your session has ended, so this was not saved. Sign in in another tab, "
            "then go back and send the form again.",
        )

    app.add_exception_handler(SignInRequired, _sign_in_first)
