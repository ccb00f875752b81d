"""Sign-in sessions and the sign-in throttle, kept in the database so every app process agrees."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, selectinload

from app.core.base import utcnow
from app.core.database import Database
from app.users import service as user_service
from app.users import throttle
from app.users.models import LoginAttempt, User, UserSession

#: A session ends after this long without use...
IDLE_LIFETIME = dt.timedelta(hours=12)
#: ...and after this long whatever happens, so a stolen cookie does not live for ever.
ABSOLUTE_LIFETIME = dt.timedelta(days=7)
#: last_seen_at is written at most this often, so reading pages does not write every time.
TOUCH_EVERY = dt.timedelta(minutes=5)

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
    #: No password checker was free: nothing was checked, retry in a moment.
    busy: bool = False

    @property
    def throttled(self) -> bool:
        return self.retry_after is not None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def address_key(address: str, secret: str) -> str:
    """A keyed hash of a visitor's address: countable, but not readable back."""
    return hashlib.sha256(f"{secret}\0{address}".encode()).hexdigest()


def sign_in(
    database: Database,
    *,
    username: str,
    password: str,
    address_key: str,
    device: str | None = None,
) -> SignIn:
    """Check the password unless throttled, record the try, and open a session if right.

    Three short transactions, none held while the password is checked: claim the try, read
    the hash, then record what came of it. `device` is the id from this browser's device
    cookie for this name, whose tries count apart from the name's."""
    username = username.strip()[:80]
    keys = throttle.keys_for(username=username, address_key=address_key, device=device)
    wait = throttle.claim(database, keys)
    if wait is not None:
        return SignIn(retry_after=wait)
    with database.session() as session:
        found = user_service.password_hash_for(session, username=username)
    try:
        kept_hash = user_service.check_password(found[1] if found else None, password)
    except user_service.CheckersBusy:
        with database.session(write=True) as session:
            throttle.give_back(session, keys, right=False)
        return SignIn(busy=True)
    with database.session(write=True) as session:
        right = found is not None and kept_hash is not None
        session.add(LoginAttempt(username=username, address_key=address_key, succeeded=right))
        if not right or found is None or kept_hash is None:
            session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - KEEP_ATTEMPTS))
            throttle.sweep(session)
            return SignIn()
        throttle.give_back(session, keys, right=True)
        user = session.scalars(select(User).where(User.id == found[0])).one()
        user.password_hash = kept_hash
        user.last_login_at = utcnow()
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
