"""Several clients writing at once through a real server: no lost update, no "database is
locked", no 500 — on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from app.core.database import Database
from tests.support.servers import running

THREADS = 6
EDITS_PER_THREAD = 5
CREATES_PER_THREAD = 4


@pytest.fixture
def server_url(app: Any) -> Iterator[str]:
    with running(app, lifespan="off") as url:
        yield url


def test_concurrent_writers_lose_nothing(
    server_url: str, seeded: Database, auth: dict[str, str]
) -> None:
    statuses: list[int] = []
    lock = threading.Lock()

    with httpx.Client(base_url=server_url, headers=auth, timeout=60) as client:
        shared = client.post(
            "/api/v1/events",
            json={"title": "Shared notes", "kind": "statement", "start_date": "2026-02-05"},
        )
        assert shared.status_code == 201
    shared_url = shared.headers["location"]

    def work(worker: int) -> list[str]:
        created: list[str] = []
        with httpx.Client(base_url=server_url, headers=auth, timeout=60) as client:

            def call(method: str, url: str, **kwargs: Any) -> httpx.Response:
                response = client.request(method, url, **kwargs)
                with lock:
                    statuses.append(response.status_code)
                return response

            for n in range(CREATES_PER_THREAD):
                response = call(
                    "POST",
                    "/api/v1/events",
                    json={
                        "title": f"Worker {worker} event {n}",
                        "kind": "meeting",
                        "start_date": f"2026-03-{n + 1:02d}",
                        "participants": [{"actor": "russia", "role": "party"}],
                        "sources": [
                            # Every worker cites the same new source: one of them creates it.
                            {"url": "https://example.org/shared", "publisher": "Shared"}
                        ],
                    },
                )
                if response.status_code == 201:
                    created.append(response.json()["slug"])
            for n in range(EDITS_PER_THREAD):
                # Read, change, write back with If-Match; on 412 read again and retry.
                while True:
                    current = call("GET", shared_url)
                    body = current.json()["body"]
                    line = f"worker {worker} edit {n}"
                    response = call(
                        "PATCH",
                        shared_url,
                        json={"body": f"{body}\n{line}".strip()},
                        headers={"If-Match": current.headers["etag"]},
                    )
                    if response.status_code != 412:
                        break
        return created

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(work, range(THREADS)))

    assert not [s for s in statuses if s >= 500], sorted(set(statuses))
    assert set(statuses) <= {200, 201, 412}, sorted(set(statuses))
    created = [slug for result in results for slug in result]
    assert len(created) == THREADS * CREATES_PER_THREAD

    with httpx.Client(base_url=server_url, timeout=60) as client:
        final = client.get(shared_url).json()
        lines = final["body"].splitlines()
        expected = {f"worker {w} edit {n}" for w in range(THREADS) for n in range(EDITS_PER_THREAD)}
        assert set(lines) == expected and len(lines) == len(expected), "an update was lost"
        assert final["version"] == 1 + THREADS * EDITS_PER_THREAD
        history = client.get(f"{shared_url}/revisions").json()["items"]
        assert [r["version"] for r in history] == list(range(1, final["version"] + 1))
        listed = client.get("/api/v1/events", params={"limit": 500, "from": "2026-03-01"})
        assert {e["slug"] for e in listed.json()["items"]} == set(created)
        sources = client.get("/api/v1/sources", params={"url": "https://example.org/shared"})
        assert len(sources.json()["items"]) == 1
