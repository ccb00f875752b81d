"""The sign-in throttle under a burst: at most the limit of wrong passwords is checked however
many arrive at once, checking never holds the database, and an editor whose browser signed
in before still gets in while their name is under attack from elsewhere."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.core.database import Database
from app.users import service, sessions, throttle
from app.users.models import LoginAttempt
from tests.support.signing_in import PASSWORD, csrf_from, make_user


def test_forty_wrong_passwords_at_once_check_at_most_five(database: Database) -> None:
    make_user(database)

    def wrong(n: int) -> sessions.SignIn:
        return sessions.sign_in(
            database, username="editor", password=f"guess {n}", address_key=f"a{n}"
        )

    with ThreadPoolExecutor(max_workers=40) as pool:
        results = list(pool.map(wrong, range(40)))
    with database.session() as session:
        checked = session.scalar(select(func.count()).select_from(LoginAttempt))
    assert checked is not None and 1 <= checked <= throttle.MAX_FAILURES_PER_NAME
    # The rest were paused (429), or found no free checker in time and were given back.
    busy = sum(r.busy for r in results)
    assert sum(r.throttled for r in results) + busy + checked == 40
    assert not any(r.user for r in results)


def test_a_password_is_checked_outside_any_transaction(database: Database) -> None:
    make_user(database)
    # Every checker busy: the sign-in has claimed its try and waits for a turn...
    for _ in range(service.CONCURRENT_CHECKS):
        service.CHECKERS.acquire()
    try:
        waiting = threading.Thread(
            target=sessions.sign_in,
            kwargs={
                "database": database,
                "username": "editor",
                "password": PASSWORD,
                "address_key": "a",
            },
        )
        waiting.start()
        # ...and meanwhile a write goes through at once (on SQLite: no write lock is held).
        wrote = threading.Event()

        def write() -> None:
            with database.session(write=True) as session:
                service.create_token(session, name="written meanwhile")
            wrote.set()

        writer = threading.Thread(target=write)
        writer.start()
        assert wrote.wait(timeout=10)
    finally:
        for _ in range(service.CONCURRENT_CHECKS):
            service.CHECKERS.release()
    waiting.join(timeout=30)
    writer.join(timeout=10)


def test_no_checker_free_answers_busy_and_counts_nothing(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(database)
    monkeypatch.setattr(service, "CHECK_QUEUE_SECONDS", 0.05)
    for _ in range(service.CONCURRENT_CHECKS):
        service.CHECKERS.acquire()
    try:
        busy = [
            sessions.sign_in(database, username="editor", password="x", address_key="a")
            for _ in range(throttle.MAX_FAILURES_PER_NAME + 2)
        ]
    finally:
        for _ in range(service.CONCURRENT_CHECKS):
            service.CHECKERS.release()
    assert all(r.busy for r in busy)
    # Tries never checked do not lock the editor out.
    assert sessions.sign_in(database, username="editor", password=PASSWORD, address_key="a").user


def _sign_in(client: Any, password: str) -> Any:
    page = client.get("/login")
    return client.post(
        "/login",
        data={"username": "editor", "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )


def test_a_known_browser_signs_in_while_the_name_is_locked_from_elsewhere(
    app: Any, database: Database
) -> None:
    make_user(database)
    with TestClient(app) as editor, TestClient(app) as attacker:
        assert _sign_in(editor, PASSWORD).status_code == 303
        assert editor.cookies.get("parley_device")
        editor.post("/logout", data={"csrf_token": csrf_from(editor.get("/logout").text)})
        for _ in range(throttle.MAX_FAILURES_PER_NAME):
            assert _sign_in(attacker, "guess").status_code == 401
        locked = _sign_in(attacker, PASSWORD)
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
        # The editor's browser has its device cookie: its tries count apart.
        assert _sign_in(editor, PASSWORD).status_code == 303
        # A forged device cookie is no cookie: the attacker is still paused.
        attacker.cookies.set("parley_device", "forged", path="/login")
        assert _sign_in(attacker, PASSWORD).status_code == 429
