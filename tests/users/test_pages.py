"""Signing in and out in the browser's terms: cookies, messages, throttling, redirects."""

from __future__ import annotations

from typing import Any

from app.core.database import Database
from tests.support.signing_in import csrf_from, form_token, make_user, sign_in


def test_sign_in_sets_a_safe_cookie_and_returns_where_the_editor_was_going(
    client: Any, database: Database
) -> None:
    make_user(database)
    page = client.get("/events/new", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/events/new"

    form = client.get(page.headers["location"])
    assert 'name="username"' in form.text and 'name="password"' in form.text
    answer = client.post(
        "/login",
        data={
            "username": "editor",
            "password": "correct horse battery",
            "next": "/events/new",
            "csrf_token": csrf_from(form.text),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/events/new"
    cookie = next(v for k, v in answer.headers.multi_items() if v.startswith("parley_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/events/new").status_code == 200
    assert "Sign out (editor)" in client.get("/events/new").text


def test_next_never_leads_off_the_site(client: Any, database: Database) -> None:
    make_user(database)
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        client.cookies.clear()
        token = form_token(client)
        answer = client.post(
            "/login",
            data={
                "username": "editor",
                "password": "correct horse battery",
                "next": target,
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/"


def test_a_wrong_name_and_a_wrong_password_get_the_same_plain_message(
    client: Any, database: Database
) -> None:
    make_user(database)
    wrong_password = sign_in(client, "editor", "not the password")
    wrong_name = sign_in(client, "nobody", "correct horse battery")
    assert wrong_password.status_code == wrong_name.status_code == 401
    message = "That name and password do not match an editor."
    assert message in wrong_password.text and message in wrong_name.text
    # The name typed is kept; the password is not echoed back.
    assert 'value="editor"' in wrong_password.text
    assert "not the password" not in wrong_password.text


def test_repeated_failures_pause_signing_in_even_with_the_right_password(
    client: Any, database: Database
) -> None:
    make_user(database)
    for _ in range(5):
        assert sign_in(client, "editor", "wrong wrong wrong").status_code == 401
    paused = sign_in(client, "editor")
    assert paused.status_code == 429
    assert "Too many wrong passwords" in paused.text
    assert int(paused.headers["Retry-After"]) > 60
    assert client.get("/events/new", follow_redirects=False).status_code == 303


def test_logout_ends_the_session_on_the_server(client: Any, database: Database) -> None:
    make_user(database)
    signed_in = sign_in(client, "editor")
    cookie = client.cookies.get("parley_session")
    assert cookie
    page = client.get("/events/new")
    answer = client.post(
        "/logout", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    assert answer.status_code == 303 and signed_in.status_code == 303
    # Even replaying the old cookie does not sign anyone in: the session row is revoked.
    client.cookies.set("parley_session", cookie)
    assert client.get("/events/new", follow_redirects=False).status_code == 303


def test_a_forged_cookie_is_no_one(client: Any, database: Database) -> None:
    make_user(database)
    client.cookies.set("parley_session", "eyJ0IjoieCIsInUiOiJlZGl0b3IifQ.forged.sig")
    assert client.get("/events/new", follow_redirects=False).status_code == 303


def test_posts_without_the_form_token_are_refused(client: Any, database: Database) -> None:
    make_user(database)
    answer = client.post("/login", data={"username": "editor", "password": "correct horse battery"})
    assert answer.status_code == 403
    assert client.cookies.get("parley_session") is None


def test_posts_from_another_site_are_refused_before_anything_runs(
    client: Any, database: Database
) -> None:
    make_user(database)
    token = form_token(client)
    data = {"username": "editor", "password": "correct horse battery", "csrf_token": token}
    for headers in (
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "null"},
    ):
        answer = client.post("/login", data=data, headers=headers, follow_redirects=False)
        assert answer.status_code == 403, headers
        assert "came from another site" in answer.text
        assert "script-src 'self'" in answer.headers["content-security-policy"]
    same = client.post(
        "/login",
        data=data,
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        follow_redirects=False,
    )
    assert same.status_code == 303
