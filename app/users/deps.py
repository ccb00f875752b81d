"""Who is asking: the author named by a write's API token, and the editor signed in to the
pages. Typed dependencies for the routes of every domain."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from app.core.base import utcnow
from app.core.deps import SAFE_METHODS, SessionDep
from app.core.errors import SignInRequired
from app.users import service as user_service
from app.users import sessions as session_service
from app.users.cookies import read_cookie
from app.users.models import User

# auto_error=False: we answer a missing token ourselves, as problem+json with the challenge.
_bearer = HTTPBearer(
    auto_error=False,
    description="A token from `parley tokens create NAME`, sent as `Authorization: Bearer …`.",
)

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="parley"'}


def _refuse(detail: str, error: str) -> HTTPException:
    return HTTPException(
        status_code=401,
        detail=detail,
        headers={"WWW-Authenticate": f'Bearer realm="parley", error="{error}"'}
        if error
        else _CHALLENGE,
    )


#: How stale a token's `last_used_at` may be before a request notes the use again.
TOKEN_USE_NOTED_EVERY = dt.timedelta(minutes=1)


Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def bearer_secret(request: Request, credentials: Bearer) -> str:
    """The secret of the API token a request carries, unchecked; 401 when there is none.
    Needs no database: a request without a token is refused before any other check."""
    if credentials is None:
        if request.headers.get("authorization"):
            raise _refuse("the Authorization header must be 'Bearer <token>'", "invalid_request")
        raise _refuse("this needs an API token: 'Authorization: Bearer <token>'", "")
    return credentials.credentials.strip()


#: session.info key: the tokens found live in this session (a write session is one transaction,
#: then closed), by secret. The writes of a group (`app.core.group_commit`) mostly carry one
#: token: looked up once.
_LIVE = "parley_live_tokens"


def author_of(session: Session, secret: str) -> str:
    """The name of the live token with this secret; 401 when there is none."""
    live: dict[str, str] = session.info.setdefault(_LIVE, {})
    if secret in live:
        return live[secret]
    token = user_service.token_owner(session, token=secret) if len(secret) <= 200 else None
    if token is None:
        raise _refuse("the API token is unknown or was revoked", "invalid_token")
    now = utcnow()
    # Noted at most once a minute: writing it on every request would lock the token's row
    # for each write's whole transaction, and every writer holding that token would queue.
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_NOTED_EVERY:
        token.last_used_at = now
    live[secret] = token.name
    return token.name


def token_author(session: SessionDep, secret: Annotated[str, Depends(bearer_secret)]) -> str:
    """The name of the live token the request carries; 401 when there is none."""
    return author_of(session, secret)


#: The author of a write: the name of the request's API token.
Author = Annotated[str, Depends(token_author)]
#: The API token's secret, for a write that checks it itself with `author_of`, in the
#: transaction it is written in (`app.core.deps.write_together`).
ApiSecret = Annotated[str, Depends(bearer_secret)]


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
    # Its name as a plain string: an error page drawn after the session closed reads this,
    # not the (then detached) row.
    request.state.editor_name = editor.username if editor is not None else None
    return editor


def require_editor(request: Request, editor: Annotated[User | None, Depends(get_editor)]) -> User:
    if editor is None:
        raise SignInRequired("Sign in to change the timeline.")
    return editor


def client_key(request: Request) -> str:
    """A keyed hash of the visitor's address: enough to count their tries, not to track them."""
    address = request.client.host if request.client else "unknown"
    return session_service.address_key(address, request.app.state.secret_key)


EditorDep = Annotated[User, Depends(require_editor)]
MaybeEditorDep = Annotated[User | None, Depends(get_editor)]
