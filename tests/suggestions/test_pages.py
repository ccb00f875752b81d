"""The visitor's suggestion form and the editors' review, as pages."""

from __future__ import annotations

import re
from typing import Any

from app.core.database import Database
from app.events import service as event_service
from app.suggestions import service
from tests.support.signing_in import csrf_from, make_user, sign_in

GOOD = {
    "title": "Witkoff meets Umerov in Miami",
    "start_date": "2026-02-10",
    "place_name": "Miami",
    "source_url": "https://example.org/miami",
}


def _send(client: Any, data: dict[str, str]) -> Any:
    token = csrf_from(client.get("/suggest").text)
    return client.post("/suggest", data={**data, "csrf_token": token}, follow_redirects=False)


def _pending(database: Database) -> list[Any]:
    with database.session() as session:
        return list(service.get_all(session, status="pending"))


def test_a_suggestion_is_received_and_waits(client: Any, database: Database) -> None:
    answer = _send(client, GOOD)
    assert answer.status_code == 303
    assert "Thank you" in client.get(answer.headers["location"]).text
    assert [s.title for s in _pending(database)] == [GOOD["title"]]


def test_mistakes_are_shown_next_to_the_fields_and_kept(client: Any, database: Database) -> None:
    answer = _send(client, {**GOOD, "source_url": "miami news", "start_date": ""})
    assert answer.status_code == 422
    assert re.search(r'id="source_url-error">.*https://', answer.text)
    assert 'id="start_date-error"' in answer.text
    assert 'value="miami news"' in answer.text and f'value="{GOOD["title"]}"' in answer.text
    assert _pending(database) == []


def test_the_honeypot_stores_nothing(client: Any, database: Database) -> None:
    answer = _send(client, {**GOOD, "website": "http://spam.example"})
    assert answer.status_code == 303
    assert _pending(database) == []


def test_too_many_from_one_address_are_slowed(client: Any, database: Database) -> None:
    for n in range(service.MAX_PER_WINDOW):
        assert _send(client, {**GOOD, "title": f"Event {n}"}).status_code == 303
    answer = _send(client, {**GOOD, "title": "One more"})
    assert answer.status_code == 429
    assert "Please wait" in answer.text
    assert 'value="One more"' in answer.text


def test_an_editor_publishes_through_the_full_form(client: Any, seeded: Database) -> None:
    _send(client, GOOD)
    suggestion = _pending(seeded)[0]
    make_user(seeded)
    sign_in(client, "editor")
    assert "Review" in client.get("/review").text
    form = client.get(f"/events/new?suggestion={suggestion.id}").text
    assert f'value="{GOOD["title"]}"' in form and 'value="https://example.org/miami"' in form
    answer = client.post(
        "/events/new",
        data={
            "csrf_token": csrf_from(form),
            "suggestion": str(suggestion.id),
            "title": GOOD["title"],
            "kind": "meeting",
            "start_date": GOOD["start_date"],
            "place": "Miami",
            "place_create": "1",
            "sources-0-url": GOOD["source_url"],
            "sources-0-publisher": "Example News",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    with seeded.session() as session:
        accepted = service.get_all(session, status="accepted")
        assert accepted[0].reviewed_by == "editor"
        event = session.get(event_service.Event, accepted[0].event_id)
        assert event is not None and event.title == GOOD["title"]


def test_an_editor_rejects_with_a_reason(client: Any, database: Database) -> None:
    _send(client, GOOD)
    suggestion = _pending(database)[0]
    make_user(database)
    sign_in(client, "editor")
    page = client.get(f"/review/{suggestion.id}").text
    empty = client.post(
        f"/review/{suggestion.id}/reject", data={"csrf_token": csrf_from(page), "reason": ""}
    )
    assert empty.status_code == 422 and 'id="reason-error"' in empty.text
    answer = client.post(
        f"/review/{suggestion.id}/reject",
        data={"csrf_token": csrf_from(page), "reason": "no report says so"},
    )
    assert answer.status_code == 200  # followed to the review list
    rejected = client.get("/review?status=rejected").text
    assert "no report says so" in rejected


def test_review_is_for_editors(client: Any, database: Database) -> None:
    assert client.get("/review", follow_redirects=False).status_code == 303
