"""API writes that come at once are committed together (`app.core.group_commit`), through a
real server on SQLite and PostgreSQL: each still answers for itself, a failing one takes
nothing of the others with it, and none is answered before its COMMIT."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.core.database import Database
from app.events.models import Event, Revision
from tests.support.servers import running
from tests.timeline.test_facets import kept_tallies, plain_tallies

#: How long the first COMMIT is held back, so that every other write is waiting by then.
HOLD = 1.0


@pytest.fixture
def server_url(app: Any) -> Iterator[str]:
    with running(app, lifespan="off") as url:
        yield url


class Commits(list[int]):
    """The writes' COMMITs, each noted with how many events its transaction added; the first
    one is held back until the others have been sent (`holding` says it is reached)."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = threading.Event()

    def after_flush(self, session: Session, _context: Any) -> None:
        added = sum(isinstance(o, Event) for o in session.new)
        session.info[_ADDED] = session.info.get(_ADDED, 0) + added

    def before_commit(self, session: Session) -> None:
        if session.in_nested_transaction():
            return
        if not self:
            self.holding.set()
            time.sleep(HOLD)
        self.append(session.info.pop(_ADDED, 0))


_ADDED = "test_events_added"


@pytest.fixture
def commits(seeded: Database) -> Iterator[Commits]:
    noted = Commits()
    event.listen(seeded.write_sessions, "after_flush", noted.after_flush)
    event.listen(seeded.write_sessions, "before_commit", noted.before_commit)
    yield noted
    event.remove(seeded.write_sessions, "after_flush", noted.after_flush)
    event.remove(seeded.write_sessions, "before_commit", noted.before_commit)


def _at_once(
    calls: list[Callable[[httpx.Client], httpx.Response]], url: str, auth: Any, commits: Commits
) -> list[httpx.Response]:
    """Each call from a thread of its own: the first alone, the others together once its
    COMMIT is reached (and held back), so that they wait for it."""

    def run(index: int) -> httpx.Response:
        with httpx.Client(base_url=url, headers=auth, timeout=60) as client:
            if index:
                assert commits.holding.wait(timeout=30)
            return calls[index](client)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, range(len(calls))))


def _create(title: str, **fields: Any) -> Callable[[httpx.Client], httpx.Response]:
    body = {
        "title": title,
        "kind": "meeting",
        "start_date": "2026-03-03",
        "participants": [{"actor": "russia", "role": "party"}],
        "sources": [{"url": "https://example.org/together", "publisher": "Together"}],
        **fields,
    }
    return lambda client: client.post("/api/v1/events", json=body)


def test_writes_at_once_share_a_commit_and_a_failing_one_takes_nothing_with_it(
    server_url: str, seeded: Database, auth: dict[str, str], commits: Commits
) -> None:
    with httpx.Client(base_url=server_url, headers=auth, timeout=60) as client:
        taken = client.post(
            "/api/v1/events",
            json={"title": "Taken", "kind": "statement", "start_date": "2026-03-01"},
        ).json()["slug"]
        held = client.get(f"/api/v1/events/{taken}")
    commits.clear()
    commits.holding.clear()
    calls = [
        _create("First in"),
        *[_create("Same title") for _ in range(4)],
        # Fails in the database's transaction, after the writes before it and before those
        # after it: its SAVEPOINT alone rolls back.
        _create("Wants a taken slug", slug=taken, tags=["territories"]),
        lambda client: client.patch(
            f"/api/v1/events/{taken}", json={"title": "Stale"}, headers={"If-Match": '"x-v9"'}
        ),
        _create("Last in", tags=["territories"]),
    ]
    answers = _at_once(calls, server_url, auth, commits)

    statuses = [answer.status_code for answer in answers]
    assert statuses == [201, 201, 201, 201, 201, 422, 412, 201], answers[7].text
    assert answers[5].json()["errors"][0]["loc"] == ["slug"]
    # The first alone, then the seven that waited for it in one transaction.
    assert len(commits) == 2 and commits[1] == 5, commits
    created = [answer.json() for answer in answers if answer.status_code == 201]
    # One title four times at once: four slugs, each the next free one.
    slugs = [body["slug"] for body in created]
    assert len(set(slugs)) == len(slugs) == 6
    with httpx.Client(base_url=server_url, timeout=60) as client:
        for answer, body in zip([a for a in answers if a.status_code == 201], created, strict=True):
            assert answer.headers["location"] == f"/api/v1/events/{body['slug']}"
            again = client.get(answer.headers["location"])
            assert again.status_code == 200 and again.json() == body
            assert again.headers["etag"] == answer.headers["etag"]
        # The events that failed left nothing: not the stale change, not a second event.
        after = client.get(f"/api/v1/events/{taken}")
        assert after.json() == held.json() and after.headers["etag"] == held.headers["etag"]
        sources = client.get("/api/v1/sources", params={"url": "https://example.org/together"})
        assert len(sources.json()["items"]) == 1
    with seeded.session() as session:
        titled = select(func.count()).select_from(Event).where(Event.title == "Wants a taken slug")
        assert session.scalar(titled) == 0
        # Each saved event has its one revision; no revision is left of the failed writes.
        kept = select(Revision.event_id, Revision.version).join(Event)
        versions = session.execute(kept.where(Event.slug.in_([*slugs, taken]))).all()
        assert sorted(version for _, version in versions) == [1] * 7
        orphans = (
            select(func.count())
            .select_from(Revision)
            .where(Revision.event_id.not_in(select(Event.id)))
        )
        assert session.scalar(orphans) == 0
        # The tags and sides counted once for each saved event, none for the failed one.
        assert kept_tallies(session) == plain_tallies(session)


def test_a_group_whose_commit_fails_answers_each_write_an_error_and_saves_none(
    server_url: str, seeded: Database, auth: dict[str, str], commits: Commits
) -> None:
    def refuse_a_group(session: Session) -> None:
        if not session.in_nested_transaction() and len(commits) == 2:
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    # After `commits` notes the COMMIT: the first (held back) goes through, the second fails.
    event.listen(seeded.write_sessions, "before_commit", refuse_a_group)
    try:
        calls = [_create(f"Group write {n}") for n in range(6)]
        answers = _at_once(calls, server_url, auth, commits)
    finally:
        event.remove(seeded.write_sessions, "before_commit", refuse_a_group)

    statuses = [answer.status_code for answer in answers]
    assert statuses[0] == 201 and commits[1] == 5, (statuses, commits)
    failed = [answer for answer in answers if answer.status_code != 201]
    # Every write of the failed group, and only those, answered a problem, not a 201.
    assert len(failed) == commits[1], (statuses, commits)
    assert all(a.status_code >= 500 and a.json()["status"] == a.status_code for a in failed)
    saved = {answer.json()["slug"] for answer in answers if answer.status_code == 201}
    with seeded.session() as session:
        titled = session.scalars(select(Event.slug).where(Event.title.like("Group write %")))
        assert set(titled) == saved
        assert kept_tallies(session) == plain_tallies(session)
    # And the writer goes on.
    with httpx.Client(base_url=server_url, headers=auth, timeout=60) as client:
        assert _create("After the failure")(client).status_code == 201
