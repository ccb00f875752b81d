"""Form posts have a size limit, checked before anything parses them; pages answer HEAD; and
answers that went out over HTTPS through a trusted proxy carry HSTS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

from app.core.database import Database
from app.media.images import MAX_UPLOAD_BYTES
from app.web.limits import MAX_FORM_BYTES, body_limit
from tests.support.servers import running


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"a" * min(size, total - sent)
        sent += size


def test_a_form_over_the_limit_is_refused_unread(client: Any, database: Database) -> None:
    # Unauthenticated and without a CSRF token: the size is what is refused, first.
    big = {"username": "x", "password": "p" * (MAX_FORM_BYTES + 1)}
    answer = client.post("/login", data=big)
    assert answer.status_code == 413
    assert "more than 1 MiB" in answer.text and answer.headers["content-type"].startswith(
        "text/html"
    )
    as_json = client.post("/suggest", data=big, headers={"Accept": "application/json"})
    assert as_json.status_code == 413
    assert as_json.json()["errors"][0]["loc"] == ["body"]
    # Under the limit, the CSRF check has its say as before.
    assert client.post("/login", data={"username": "x", "password": "y"}).status_code == 403


def test_a_streamed_form_is_counted_as_it_arrives(client: Any, database: Database) -> None:
    # No Content-Length (chunked): the bytes are counted, and the post stops at the limit.
    answer = client.post(
        "/login",
        content=_chunks(3 * MAX_FORM_BYTES),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 413


def test_the_event_form_takes_an_upload_sized_body() -> None:
    assert body_limit("/login") == MAX_FORM_BYTES
    assert body_limit("/events/new") == body_limit("/events/some-event/edit") == MAX_UPLOAD_BYTES
    assert body_limit("/events/new", "application/x-www-form-urlencoded") == MAX_FORM_BYTES
    assert body_limit("/events/some-event/history") == MAX_FORM_BYTES


def test_pages_and_healthz_answer_head(client: Any, seeded: Database) -> None:
    for path in ("/", "/about", "/healthz", "/events/abu-dhabi-talks-round-1", "/login"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
    assert client.head("/events/no-such-event").status_code == 404


def test_hsts_only_over_https_from_a_trusted_proxy(app: Any, database: Database) -> None:
    https = {"X-Forwarded-Proto": "https"}
    with running(app, proxy_headers=True, forwarded_allow_ips="127.0.0.1") as url:
        behind = httpx.get(url + "/about", headers=https)
        plain = httpx.get(url + "/about")
    assert behind.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "strict-transport-security" not in plain.headers
    # A client that is not the proxy cannot claim HTTPS for itself.
    with running(app, proxy_headers=True, forwarded_allow_ips="10.9.9.9") as url:
        spoofed = httpx.get(url + "/about", headers=https)
    assert "strict-transport-security" not in spoofed.headers
