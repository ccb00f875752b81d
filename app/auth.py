"""API authentication: the Bearer token of a write request names who made the change."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from app.db import utcnow
from app.deps import SessionDep
from app.users import service as user_service

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


def token_author(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The name of the live token the request carries; 401 when there is none."""
    if credentials is None:
        if request.headers.get("authorization"):
            raise _refuse("the Authorization header must be 'Bearer <token>'", "invalid_request")
        raise _refuse("this needs an API token: 'Authorization: Bearer <token>'", "")
    secret = credentials.credentials.strip()
    token = user_service.token_owner(session, token=secret) if len(secret) <= 200 else None
    if token is None:
        raise _refuse("the API token is unknown or was revoked", "invalid_token")
    token.last_used_at = utcnow()
    return token.name


#: The author of a write: the name of the request's API token.
Author = Annotated[str, Depends(token_author)]
