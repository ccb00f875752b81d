"""Sign-in sessions and the sign-in throttle, kept in the database so every app process agrees."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.core.base import utcnow
from app.users import service as user_service
from app.users.models import LoginAttempt, User, UserSession

#: A session ends after this long without use...
IDLE_LIFETIME = dt.timedelta(hours=12)
#: ...and after this long whatever happens, so a stolen cookie does not live for ever.
ABSOLUTE_LIFETIME = dt.timedelta(days=7)
#: last_seen_at is written at most this often, so reading pages does not write every time.
TOUCH_EVERY = dt.timedelta(minutes=5)

#: Failed sign-ins counted over this window...
THROTTLE_WINDOW = dt.timedelta(minutes=15)
#: ...before a name is refused for the rest of the window...
MAX_FAILURES_PER_NAME = 5
#: ...and before an address is (higher: several editors may share an office address).
MAX_FAILURES_PER_ADDRESS = 20
#: Attempts are kept this long (for a look at what happened), then dropped.
KEEP_ATTEMPTS = dt.timedelta(days=1)
#: Ended sessions (expired or signed out) are kept this long, then dropped.
KEEP_ENDED_SESSIONS = dt.timedelta(days=1)


@dataclass(frozen=True)
class SignIn:
    """What a sign-in try came to: a user and a session token, or why not."""

    user: User | None = None
    token: str | None = None
    retry_after: dt.timedelta | None = None

    @property
    def throttled(self) -> bool:
        return self.retry_after is not None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def address_key(address: str, secret: str) -> str:
    """A keyed hash of a visitor's address: countable, but not readable back."""
    return hashlib.sha256(f"{secret}\0{address}".encode()).hexdigest()


def retry_after(session: Session, *, username: str, address_key: str) -> dt.timedelta | None:
    """How long until this name and address may try again, or None if they may now."""
    since = utcnow() - THROTTLE_WINDOW
    for column, value, limit in (
        (LoginAttempt.username, username, MAX_FAILURES_PER_NAME),
        (LoginAttempt.address_key, address_key, MAX_FAILURES_PER_ADDRESS),
    ):
        count, oldest = session.execute(
            select(func.count(), func.min(LoginAttempt.at)).where(
                column == value, LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False)
            )
        ).one()
        if count >= limit and oldest is not None:
            if oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=dt.UTC)
            return max(oldest + THROTTLE_WINDOW - utcnow(), dt.timedelta(seconds=1))
    return None


def sign_in(session: Session, *, username: str, password: str, address_key: str) -> SignIn:
    """Check the password (unless throttled), record the try, and open a session if right."""
    username = username.strip()[:80]
    wait = retry_after(session, username=username, address_key=address_key)
    if wait is not None:
        return SignIn(retry_after=wait)
    user = user_service.authenticate(session, username=username, password=password)
    session.add(LoginAttempt(username=username, address_key=address_key, succeeded=bool(user)))
    if user is None:
        # Attempts older than the window count for nothing: drop them, so the table stays small.
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - KEEP_ATTEMPTS))
        session.flush()
        return SignIn()
    # A success clears the name's failures, so an editor who mistyped twice starts afresh.
    session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.username == username, LoginAttempt.succeeded.is_(False)
        )
    )
    return SignIn(user=user, token=open_session(session, user=user))


def open_session(session: Session, *, user: User) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    # Each sign-in sweeps out sessions that ended a while ago, so the table stays small.
    ended_before = now - KEEP_ENDED_SESSIONS
    session.execute(
        delete(UserSession).where(
            or_(UserSession.expires_at < ended_before, UserSession.revoked_at < ended_before)
        )
    )
    session.add(
        UserSession(
            token_hash=_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + IDLE_LIFETIME,
        )
    )
    session.flush()
    return token


def get_user(session: Session, *, token: str, touch: bool = False) -> User | None:
    """The active user whose live session this token is, or None.

    With `touch` (on writes), use keeps the session alive; reads do not write, so a page view
    never waits for SQLite's write lock."""
    row = session.scalar(
        select(UserSession)
        .where(UserSession.token_hash == _hash(token), UserSession.revoked_at.is_(None))
        .options(selectinload(UserSession.user))
    )
    now = utcnow()
    if row is None or row.expires_at <= now or not row.user.is_active:
        return None
    if touch and now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        row.expires_at = min(now + IDLE_LIFETIME, row.created_at + ABSOLUTE_LIFETIME)
    return row.user


def close_session(session: Session, *, token: str) -> None:
    """Sign out: the session ends here, whichever process served it."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
