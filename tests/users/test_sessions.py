"""Sessions and the sign-in throttle, in the database (both backends)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from app.core.database import Database
from app.users import service, sessions, throttle
from app.users.models import LoginThrottle, UserSession

PASSWORD = "correct horse battery"


def _user(database: Database, name: str = "editor") -> None:
    with database.session(write=True) as session:
        service.create(session, username=name, password=PASSWORD)


def test_a_right_password_opens_a_session_that_finds_the_user(database: Database) -> None:
    _user(database)
    result = sessions.sign_in(database, username="editor", password=PASSWORD, address_key="a")
    assert result.user is not None and result.token
    with database.session() as session:
        user = sessions.get_user(session, token=result.token)
        assert user is not None and user.username == "editor"
        stored = session.scalars(select(UserSession.token_hash)).all()
    assert result.token not in stored  # only a hash is kept


def test_closing_a_session_ends_it(database: Database) -> None:
    _user(database)
    token = sessions.sign_in(database, username="editor", password=PASSWORD, address_key="a").token
    assert token
    with database.session(write=True) as session:
        sessions.close_session(session, token=token)
    with database.session() as session:
        assert sessions.get_user(session, token=token) is None


def test_an_expired_session_is_no_one_and_use_slides_it_up_to_the_absolute_limit(
    database: Database,
) -> None:
    _user(database)
    token = sessions.sign_in(database, username="editor", password=PASSWORD, address_key="a").token
    assert token
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with database.session(write=True) as session:
        session.execute(
            update(UserSession).values(
                last_seen_at=past, created_at=past - dt.timedelta(days=6, hours=23)
            )
        )
    with database.session(write=True) as session:
        assert sessions.get_user(session, token=token, touch=True) is not None
        row = session.scalars(select(UserSession)).one()
        # Slid forward, but never past seven days after sign-in.
        assert row.expires_at <= row.created_at + sessions.ABSOLUTE_LIFETIME
    with database.session(write=True) as session:
        session.execute(update(UserSession).values(expires_at=past))
    with database.session() as session:
        assert sessions.get_user(session, token=token) is None


def test_failures_per_name_pause_that_name_only(database: Database) -> None:
    _user(database)
    _user(database, "other")
    for _ in range(throttle.MAX_FAILURES_PER_NAME):
        result = sessions.sign_in(database, username="editor", password="nope", address_key="a")
        assert result.user is None and not result.throttled
    paused = sessions.sign_in(database, username="editor", password=PASSWORD, address_key="b")
    assert paused.throttled and paused.user is None
    assert paused.retry_after is not None
    assert paused.retry_after <= throttle.THROTTLE_WINDOW
    other = sessions.sign_in(database, username="other", password=PASSWORD, address_key="a")
    assert other.user is not None


def test_failures_per_address_pause_that_address(database: Database) -> None:
    _user(database)
    for n in range(throttle.MAX_FAILURES_PER_ADDRESS):
        sessions.sign_in(database, username=f"guess{n}", password="x", address_key="bot")
    assert sessions.sign_in(
        database, username="editor", password=PASSWORD, address_key="bot"
    ).throttled
    home = sessions.sign_in(database, username="editor", password=PASSWORD, address_key="home")
    assert home.user is not None


def test_old_failures_no_longer_count_and_success_clears_them(database: Database) -> None:
    _user(database)
    for _ in range(throttle.MAX_FAILURES_PER_NAME):
        sessions.sign_in(database, username="editor", password="nope", address_key="a")
    long_ago = dt.datetime.now(dt.UTC) - throttle.THROTTLE_WINDOW - dt.timedelta(minutes=1)
    with database.session(write=True) as session:
        session.execute(update(LoginThrottle).values(window_started_at=long_ago))
    assert sessions.sign_in(database, username="editor", password=PASSWORD, address_key="a").user
    with database.session() as session:
        rows = {row.key: row.tries for row in session.scalars(select(LoginThrottle))}
    # The name starts afresh; the address keeps only what was not a right password.
    assert "name:editor" not in rows and rows["address:a"] == 0


def test_signing_in_sweeps_out_sessions_that_ended_long_ago(database: Database) -> None:
    _user(database)
    tokens = []
    for _ in range(3):
        signed = sessions.sign_in(database, username="editor", password=PASSWORD, address_key="a")
        tokens.append(signed.token)
    long_ago = sessions.utcnow() - sessions.KEEP_ENDED_SESSIONS - dt.timedelta(hours=1)
    with database.session(write=True) as session:
        expired, revoked, live = session.scalars(select(UserSession).order_by(UserSession.id)).all()
        expired.expires_at = long_ago
        revoked.revoked_at = long_ago

    sessions.sign_in(database, username="editor", password=PASSWORD, address_key="a")
    with database.session() as session:
        left = session.scalars(select(UserSession.id).order_by(UserSession.id)).all()
        assert sessions.get_user(session, token=str(tokens[2])) is not None
    assert left[0] == live.id and len(left) == 2, "the two ended ones went, the live one stayed"
