"""Editors and API tokens: create, check and revoke. Secrets are only ever stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.base import utcnow
from app.core.errors import InvalidInput, NotFound
from app.users.models import ApiToken, User

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Checked against when the name is unknown, so a wrong name costs as long as a wrong
    password. Made on first use: hashing at import would slow every start of the app."""
    return _hasher.hash("not a password anyone has")


MIN_PASSWORD_LENGTH = 10


def get_all(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.username)).all()


def create(session: Session, *, username: str, password: str) -> User:
    username = username.strip()
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        raise InvalidInput.field(["username"], "a user name is 1 to 80 characters, no spaces")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput.field(
            ["password"], f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
        )
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InvalidInput.field(["username"], f"the user {username!r} exists already")
    user = User(username=username, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, username: str, password: str) -> User | None:
    """The user if the password is right, else None; takes as long either way."""
    user = session.scalar(select(User).where(User.username == username, User.is_active))
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, *, name: str) -> str:
    """Make a named token and return it; only its hash is kept, so it is shown once."""
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidInput.field(["name"], "a token name is 1 to 80 characters")
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise InvalidInput.field(["name"], f"a token named {name!r} exists already")
    token = "parley_" + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, token_hash=_token_hash(token)))
    session.flush()
    return token


def revoke_token(session: Session, *, name: str) -> ApiToken:
    token = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise NotFound(f"there is no token named {name!r}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def get_tokens(session: Session) -> Sequence[ApiToken]:
    return session.scalars(select(ApiToken).order_by(ApiToken.name)).all()


def token_owner(session: Session, *, token: str) -> ApiToken | None:
    """The live token with this secret, or None."""
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == _token_hash(token), ApiToken.revoked_at.is_(None)
        )
    )
    return row
