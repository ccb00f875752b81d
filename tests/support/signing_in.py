"""Signing in through the real login form, for page tests."""

from __future__ import annotations

import re
from typing import Any

from app.core.database import Database
from app.users import service

PASSWORD = "correct horse battery"


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def make_user(database: Database, name: str = "editor") -> str:
    with database.session(write=True) as session:
        service.create(session, username=name, password=PASSWORD)
    return name


def sign_in(client: Any, name: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )


def form_token(client: Any, path: str = "/login") -> str:
    return csrf_from(client.get(path).text)
