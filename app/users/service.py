"""Editors and API tokens: create, check and revoke. Secrets are only ever stored hashed."""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Sequence
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
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


class CheckersBusy(Exception):
    """Every password checker of this process is busy, and stayed busy: retry shortly."""


#: At most this many passwords are checked at once in a process (argon2 takes 64 MiB and a
#: core each), so a flood of sign-ins costs bounded memory and leaves cores for the rest...
CONCURRENT_CHECKS = 3
#: ...and a try waits this long for its turn before it is told to retry, in seconds.
CHECK_QUEUE_SECONDS = 5.0
#: The turns to check a password in this process.
CHECKERS = threading.BoundedSemaphore(CONCURRENT_CHECKS)
#: At most this many more tries wait for a turn; the rest are told to retry at once, so a
#: flood cannot tie up the threads that serve everything else.
WAITING_CHECKS = 8
_admitted = threading.BoundedSemaphore(CONCURRENT_CHECKS + WAITING_CHECKS)


def password_hash_for(session: Session, *, username: str) -> tuple[int, str] | None:
    """The active user's id and password hash, or None."""
    row = session.execute(
        select(User.id, User.password_hash).where(User.username == username, User.is_active)
    ).first()
    return (row[0], row[1]) if row else None


def check_password(password_hash: str | None, password: str) -> str | None:
    """Whether the password is right, taking as long for an unknown name (None): None when it
    is wrong, else the hash to keep (a new one when the parameters changed). Runs outside any
    transaction, a few at a time; raises CheckersBusy when no turn came."""
    if not _admitted.acquire(blocking=False):
        raise CheckersBusy
    try:
        if not CHECKERS.acquire(timeout=CHECK_QUEUE_SECONDS):
            raise CheckersBusy
        try:
            return _verified(password_hash, password)
        finally:
            CHECKERS.release()
    finally:
        _admitted.release()


def _verified(password_hash: str | None, password: str) -> str | None:
    try:
        _hasher.verify(password_hash or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if password_hash is None:
        return None
    if _hasher.check_needs_rehash(password_hash):
        return _hasher.hash(password)
    return password_hash


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


#: Put together once: every API write runs it.
_LIVE_TOKEN = select(ApiToken).where(
    ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None)
)


def token_owner(session: Session, *, token: str) -> ApiToken | None:
    """The live token with this secret, or None."""
    row = session.scalar(_LIVE_TOKEN, {"token_hash": _token_hash(token)})
    return row
