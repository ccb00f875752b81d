"""The editor's event pages over a real database: add, errors kept, duplicates, conflicts,
delete and undo, history and restore."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from app.core.database import Database
from app.events import listing, reading, revisions, service
from app.events.models import Event
from app.events.schemas import EventUpdate
from tests.support.factory import Factory
from tests.support.forms import form_fields
from tests.support.signing_in import csrf_from, make_user, sign_in
from tests.support.statements import executed, values


@pytest.fixture
def editor(client: Any, database: Database) -> Any:
    """The client, signed in as 'editor'."""
    make_user(database, "editor")
    assert sign_in(client, "editor").status_code == 303
    return client


def post_form(client: Any, path: str, data: dict[str, str], page: str | None = None) -> Any:
    token = csrf_from(client.get(page or path).text)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def event(database: Database, slug: str) -> Any:
    with database.session() as session:
        return reading.to_read(reading.get_by_slug(session, slug=slug, include_deleted=True))


def value_of(html: str, name: str) -> str:
    """What the form shows in the input, text area or select called `name`."""
    select = re.search(rf'<select id="{re.escape(name)}".*?</select>', html, re.S)
    if select:
        chosen = re.search(r'<option value="([^"]*)" selected>', select.group(0))
        assert chosen, f"nothing selected in {name}"
        return chosen.group(1)
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    if match is None:
        match = re.search(rf'name="{re.escape(name)}"[^>]*>([^<]*)</textarea>', html)
    assert match, f"no input {name}"
    return match.group(1)


def test_signed_out_visitors_are_sent_to_sign_in(client: Any, seeded: Database) -> None:
    for path in ("/events/new", "/events/abu-dhabi-talks-round-1/edit", "/review"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=")


def test_a_signed_out_post_saves_nothing(client: Any, seeded: Database) -> None:
    token = csrf_from(client.get("/login").text)
    answer = client.post(
        "/events/new",
        data={"title": "Sneaky", "kind": "call", "start_date": "2026-03-01", "csrf_token": token},
    )
    assert answer.status_code == 401
    # What was typed is shown again, with a way to sign in without losing it.
    assert "You are signed out" in answer.text and 'value="Sneaky"' in answer.text
    assert 'href="/login" target="_blank"' in answer.text
    with seeded.session() as session:
        assert all(e.title != "Sneaky" for e in listing.list_events(session).items)


def test_the_form_labels_every_input_with_the_api_names(editor: Any, seeded: Database) -> None:
    html = editor.get("/events/new").text
    for name in (
        "title",
        "summary",
        "body",
        "kind",
        "status",
        "start_date",
        "start_time",
        "end_date",
        "end_time",
        "date_precision",
        "date_approximate",
        "timezone",
        "place",
        "series",
        "round",
        "tags",
        "participants-0-actor",
        "participants-0-role",
        "sources-0-url",
        "sources-0-publisher",
        "sources-0-quote",
        "sources-0-speaker",
    ):
        assert f'name="{name}"' in html, name
        assert f'<label for="{name}"' in html, name


def test_add_an_event_with_a_new_actor_and_a_source(editor: Any, seeded: Database) -> None:
    answer = post_form(
        editor,
        "/events/new",
        {
            "title": "Umerov briefs Zelenskyy on Abu Dhabi",
            "summary": "The delegation head reports back.",
            "kind": "meeting",
            "status": "held",
            "start_date": "2026-02-03",
            "start_time": "18:00",
            "timezone": "Europe/Kyiv",
            "place": "Abu Dhabi",
            "participants-0-actor": "Volodymyr Zelenskyy",
            "participants-0-role": "party",
            "participants-1-actor": "Rustem Umerov",
            "participants-1-role": "delegate",
            "participants-1-create": "1",
            "participants-1-kind": "person",
            "participants-1-affiliation": "Ukraine",
            "sources-0-url": "https://example.org/umerov-briefing",
            "sources-0-publisher": "Example News",
            "sources-0-published_on": "2026-02-03",
            "sources-0-quote": "We discussed the next steps.",
            "sources-0-speaker": "Rustem Umerov",
            "tags": "Territories, briefings",
            "reason": "from the evening report",
        },
    )
    assert answer.status_code == 303, answer.text
    slug = answer.headers["location"].split("/")[2].split("?")[0]
    saved = event(seeded, slug)
    assert saved.title == "Umerov briefs Zelenskyy on Abu Dhabi"
    assert saved.place is not None and saved.place.slug == "abu-dhabi"
    roles = {(p.actor.name, p.role) for p in saved.participants}
    assert roles == {("Volodymyr Zelenskyy", "party"), ("Rustem Umerov", "delegate")}
    umerov = next(p.actor for p in saved.participants if p.actor.name == "Rustem Umerov")
    assert umerov.affiliation is not None and umerov.affiliation.name == "Ukraine"
    assert saved.sources[0].speaker is not None and saved.sources[0].speaker.name == "Rustem Umerov"
    assert {t.name for t in saved.tags} == {"Territories", "briefings"}
    with seeded.session() as session:
        revision = revisions.list_revisions(session, slug=slug)[0]
    assert revision.author == "editor" and revision.reason == "from the evening report"


def test_an_end_before_the_start_is_shown_at_the_field_and_nothing_is_lost(
    editor: Any, seeded: Database
) -> None:
    typed = {
        "title": "Second round, day two",
        "summary": "Talks resume.",
        "kind": "talks",
        "start_date": "2026-02-05",
        "end_date": "2026-02-04",
        "place": "Abu Dhabi",
        "participants-0-actor": "Ukraine",
        "participants-1-actor": "Russia",
        "participants-1-role": "party",
        "sources-0-url": "https://example.org/day-two",
        "sources-0-publisher": "Example News",
        "sources-0-quote": "Talks will continue tomorrow.",
    }
    answer = post_form(editor, "/events/new", typed)
    assert answer.status_code == 422
    html = answer.text
    error = re.search(r'<p class="field-error" id="end_date-error">(.*?)</p>', html)
    assert error and "before the start date" in error.group(1)
    assert 'aria-describedby="end_date-hint end_date-error"' in html
    for name, value in typed.items():
        assert value_of(html, name) == value, name
    with seeded.session() as session:
        assert all(e.title != typed["title"] for e in listing.list_events(session).items)


def test_an_unknown_place_asks_for_create_and_a_failed_save_keeps_no_new_records(
    editor: Any, seeded: Database
) -> None:
    from app.places import service as place_service

    base = {"title": "Meeting in Riyadh", "kind": "meeting", "start_date": "2026-03-02"}
    answer = post_form(editor, "/events/new", {**base, "place": "Riyadh"})
    assert answer.status_code == 422
    assert "There is no place called “Riyadh”" in answer.text
    # Asked to create it, but another field is wrong: neither place nor event is saved.
    bad = post_form(
        editor, "/events/new", {**base, "place": "Riyadh", "place_create": "1", "round": "2"}
    )
    assert bad.status_code == 422 and "a round number needs a series" in bad.text.lower()
    assert 'name="place_create" type="checkbox" value="1" checked' in bad.text
    with seeded.session() as session:
        assert not place_service.get_all(session, q="Riyadh")
    good = post_form(editor, "/events/new", {**base, "place": "Riyadh", "place_create": "1"})
    assert good.status_code == 303
    with seeded.session() as session:
        assert [p.name for p in place_service.get_all(session, q="Riyadh")] == ["Riyadh"]


def test_add_another_row_keeps_everything_and_saves_nothing(editor: Any, seeded: Database) -> None:
    typed = {
        "title": "Call between leaders",
        "kind": "call",
        "start_date": "2026-03-03",
        "participants-0-actor": "Ukraine",
        "participants-1-actor": "Russia",
        "add": "participants",
    }
    answer = post_form(editor, "/events/new", typed)
    assert answer.status_code == 200
    assert 'name="participants-2-actor"' in answer.text
    assert value_of(answer.text, "participants-1-actor") == "Russia"
    assert value_of(answer.text, "title") == "Call between leaders"
    removed = post_form(editor, "/events/new", {**typed, "add": "", "remove": "participants-0"})
    assert value_of(removed.text, "participants-0-actor") == "Russia"
    with seeded.session() as session:
        assert all(e.title != typed["title"] for e in listing.list_events(session).items)


def test_a_similar_title_on_the_same_date_asks_first(editor: Any, seeded: Database) -> None:
    typed = {"title": "Trilateral talks in Abu Dhabi", "kind": "talks", "start_date": "2026-01-23"}
    answer = post_form(editor, "/events/new", typed)
    assert answer.status_code == 409
    assert "Is this the same as “Trilateral consultations in Abu Dhabi”?" in answer.text
    assert 'href="/events/abu-dhabi-talks-round-1"' in answer.text
    assert value_of(answer.text, "title") == typed["title"]
    confirmed = post_form(editor, "/events/new", {**typed, "not_duplicate": "1"})
    assert confirmed.status_code == 303


def test_a_stale_edit_shows_both_versions_and_keeps_what_was_typed(
    editor: Any, seeded: Database
) -> None:
    slug = "abu-dhabi-talks-round-1"
    form = editor.get(f"/events/{slug}/edit").text
    opened = value_of(form, "version")
    with seeded.session(write=True) as session:
        service.update(
            session,
            slug=slug,
            data=EventUpdate(summary="Their summary."),
            expected_version=int(opened),
            author="someone",
        )
    fields = {
        name: value_of(form, name)
        for name in ("title", "kind", "status", "start_date", "end_date", "date_precision")
    }
    fields["participants-0-actor"] = value_of(form, "participants-0-actor")
    mine = {
        **fields,
        "version": opened,
        "title": "My better title",
        "summary": "My summary.",
        "reason": "tightened the title",
    }
    token = csrf_from(form)
    answer = editor.post(f"/events/{slug}/edit", data={**mine, "csrf_token": token})
    assert answer.status_code == 409
    assert "Someone else saved this event" in answer.text
    assert "Their summary." in answer.text
    assert value_of(answer.text, "title") == "My better title"
    assert value_of(answer.text, "summary") == "My summary."
    assert value_of(answer.text, "reason") == "tightened the title"
    assert event(seeded, slug).title != "My better title"
    new_version = value_of(answer.text, "version")
    assert int(new_version) == int(opened) + 1
    again = editor.post(
        f"/events/{slug}/edit",
        data={**mine, "version": new_version, "csrf_token": token},
        follow_redirects=False,
    )
    assert again.status_code == 303
    assert event(seeded, slug).title == "My better title"


def test_delete_asks_then_can_be_undone(editor: Any, seeded: Database) -> None:
    slug = "sybiha-interview-2026-01-27"
    confirm = editor.get(f"/events/{slug}/delete")
    assert "Delete this event?" in confirm.text
    no_reason = post_form(editor, f"/events/{slug}/delete", {"version": "1"})
    assert no_reason.status_code == 422 and event(seeded, slug).deleted_at is None
    version = str(event(seeded, slug).version)
    answer = post_form(
        editor, f"/events/{slug}/delete", {"version": version, "reason": "duplicate"}
    )
    assert answer.status_code == 303
    assert event(seeded, slug).deleted_at is not None
    history = editor.get(answer.headers["location"])
    assert "The event was deleted." in history.text
    undo = re.search(r'action="(/events/[^"]+/restore)"', history.text)
    assert undo
    restored = editor.post(
        undo.group(1), data={"csrf_token": csrf_from(history.text)}, follow_redirects=False
    )
    assert restored.status_code == 303
    assert event(seeded, slug).deleted_at is None


def test_history_diffs_each_revision_and_restores_as_a_new_one(
    editor: Any, database: Database, make: Factory
) -> None:
    slug = make.event(title="Peskov comments", kind="statement", author="first")
    with database.session(write=True) as session:
        service.update(
            session,
            slug=slug,
            data=EventUpdate(title="Peskov comments on talks"),
            expected_version=1,
            author="second",
            reason="clearer title",
        )
    history = editor.get(f"/events/{slug}/history")
    assert history.status_code == 200
    html = history.text
    assert "by second" in html and "“clearer title”" in html
    assert "<del>Peskov comments</del>" in html and "<ins>Peskov comments on talks</ins>" in html
    restored = post_form(
        editor, f"/events/{slug}/history/1/restore", {}, page=f"/events/{slug}/history"
    )
    assert restored.status_code == 303
    assert event(database, slug).title == "Peskov comments"
    with database.session() as session:
        history = revisions.list_revisions(session, slug=slug)
    assert [r.action for r in history] == ["create", "update", "restore"]
    assert history[-1].author == "editor"


def test_history_is_public_but_restore_is_for_editors(client: Any, make: Factory) -> None:
    slug = make.event()
    assert client.get(f"/events/{slug}/history").status_code == 200
    assert "Restore version" not in client.get(f"/events/{slug}/history").text


def test_lookup_finds_actors_by_alias(editor: Any, seeded: Database) -> None:
    items = editor.get("/editing/lookup/actors?q=zelensk").json()["items"]
    assert any(item["value"] == "Volodymyr Zelenskyy" for item in items)
    events = editor.get("/editing/lookup/events?q=round").json()["items"]
    assert any(item["value"] == "abu-dhabi-talks-round-1" for item in events)


def test_signing_in_again_in_another_tab_lets_the_open_form_save(
    client: Any, database: Database
) -> None:
    make_user(database, "editor")
    sign_in(client, "editor")
    form = client.get("/events/new").text
    # The session ends (expired or revoked) while the form is open...
    from sqlalchemy import update

    from app.users.models import UserSession

    with database.session(write=True) as session:
        session.execute(update(UserSession).values(revoked_at=UserSession.created_at))
    typed = {
        "title": "Kept across sign-in",
        "kind": "call",
        "start_date": "2026-05-01",
        "csrf_token": csrf_from(form),
    }
    assert client.post("/events/new", data=typed).status_code == 401
    # ...the editor signs in again elsewhere, and the same form now saves.
    sign_in(client, "editor")
    answer = client.post("/events/new", data=typed, follow_redirects=False)
    assert answer.status_code == 303


def _as_a_browser_sends(fields: list[tuple[str, str]], **changed: str) -> dict[str, list[str]]:
    """The form's fields with some changed, and line breaks as browsers send them (CRLF)."""
    sent: dict[str, list[str]] = {}
    for name, value in [*fields, *changed.items()]:
        if name in changed and name in sent:
            continue
        sent.setdefault(name, []).append(changed.get(name, value).replace("\n", "\r\n"))
    return sent


def test_an_edit_through_the_form_loads_the_event_once(editor: Any, seeded: Database) -> None:
    slug = "abu-dhabi-talks-round-1"
    fields = form_fields(editor.get(f"/events/{slug}/edit").text, "event-form")
    sent = _as_a_browser_sends(fields, title="Trilateral talks in Abu Dhabi", reason="shorter")
    with seeded.session() as session:
        event_id = session.scalar(select(Event.id).where(Event.slug == slug))
    with executed(seeded) as seen:
        answer = editor.post(f"/events/{slug}/edit", data=sent, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    # Each load of the event with everything it shows reads its participants once (the
    # events it links to are read again for their documents, which show its new title);
    # making its counted records again (INSERT … SELECT) loads nothing.
    loads = [
        s
        for s, p in seen
        if s.startswith("SELECT") and "FROM participation" in s and event_id in values(p)
    ]
    assert len(loads) == 1
    assert len([s for s, _ in seen if "WHERE event.slug" in s]) == 1


def test_a_form_edit_of_the_title_changes_only_the_title(editor: Any, seeded: Database) -> None:
    slug = "abu-dhabi-talks-round-1"
    before = event(seeded, slug)
    assert "\n\n" in before.body, "the seed event should have paragraphs"
    fields = form_fields(editor.get(f"/events/{slug}/edit").text, "event-form")
    sent = _as_a_browser_sends(fields, title="Trilateral talks in Abu Dhabi", reason="shorter")
    assert editor.post(f"/events/{slug}/edit", data=sent).status_code == 200
    after = event(seeded, slug)
    assert after.title == "Trilateral talks in Abu Dhabi"
    assert after.body == before.body and after.summary == before.summary
    assert after.model_dump(exclude={"title", "version", "updated_at"}) == before.model_dump(
        exclude={"title", "version", "updated_at"}
    )
    with seeded.session() as session:
        last, previous = revisions.list_revisions(session, slug=slug)[-1:-3:-1]
        assert [c.field for c in revisions.changes(previous.snapshot, last.snapshot)] == ["title"]


def test_a_source_row_takes_the_original_quote_and_names_a_missing_language(
    editor: Any, seeded: Database
) -> None:
    typed = {
        "title": "Sybiha on the meeting",
        "summary": "The minister speaks.",
        "kind": "statement",
        "start_date": "2026-02-06",
        "sources-0-url": "https://example.org/sybiha-original",
        "sources-0-publisher": "Example News",
        "sources-0-quote": "We are ready to meet.",
        "sources-0-original_quote": "Ми готові до зустрічі.",
        "sources-0-speaker": "Andrii Sybiha",
    }
    refused = post_form(editor, "/events/new", typed)
    assert refused.status_code == 422
    html = refused.text
    error = re.search(
        r'<p class="field-error" id="sources-0-original_language-error">(.*?)</p>', html
    )
    assert error and "required" in error.group(1)
    for name, value in typed.items():
        assert value_of(html, name) == value, name

    saved = post_form(editor, "/events/new", {**typed, "sources-0-original_language": "uk"})
    assert saved.status_code == 303, saved.text
    slug = saved.headers["location"].split("/")[2].split("?")[0]
    source = event(seeded, slug).sources[0]
    assert (source.original_quote, source.original_language) == ("Ми готові до зустрічі.", "uk")
    form = editor.get(f"/events/{slug}/edit").text
    assert value_of(form, "sources-0-original_quote") == "Ми готові до зустрічі."
    assert value_of(form, "sources-0-original_language") == "uk"


def test_an_api_body_with_paragraphs_survives_a_form_edit_of_the_title(
    editor: Any, database: Database, auth: dict[str, str]
) -> None:
    body = "First paragraph.\n\nSecond paragraph,\nwith a line break."
    made = editor.post(
        "/api/v1/events",
        json={"title": "Paragraphs", "kind": "statement", "start_date": "2026-04-01", "body": body},
        headers=auth,
    )
    assert made.status_code == 201
    slug = made.json()["slug"]
    fields = form_fields(editor.get(f"/events/{slug}/edit").text, "event-form")
    sent = _as_a_browser_sends(fields, title="Paragraphs, retitled", reason="title")
    assert editor.post(f"/events/{slug}/edit", data=sent).status_code == 200
    assert editor.get(f"/api/v1/events/{slug}").json()["body"] == body
    with database.session() as session:
        last, previous = revisions.list_revisions(session, slug=slug)[-1:-3:-1]
        assert [c.field for c in revisions.changes(previous.snapshot, last.snapshot)] == ["title"]
    page = editor.get(f"/events/{slug}").text
    assert len(re.findall(r"<p[^>]*>\s*First paragraph\.", page)) == 1
    assert re.search(r"<p[^>]*>\s*Second paragraph,", page)
