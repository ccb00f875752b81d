"""Editing in a real Chromium: sign in, add an event as a new editor would, errors that keep
everything, two editors in conflict, restore from history, a visitor's suggestion published,
and a cross-site form refused."""

from __future__ import annotations

import http.server
import re
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from app.events import listing, reading
from app.suggestions import service as suggestion_service
from app.users import service as user_service
from tests.support.browser import Console, axe_violations
from tests.support.servers import LiveServer, free_port, seeded_server

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own: these tests add and change events, and the timeline
    tests elsewhere count the seed events on the shared one."""
    with seeded_server(
        tmp_path_factory.mktemp("editing"),
        secret_key="editing-test-secret",
        allow_suggestions=True,
    ) as server:
        yield server


def new_editor(live_server: LiveServer) -> str:
    name = f"ed{uuid.uuid4().hex[:8]}"
    with live_server.database.session(write=True) as session:
        user_service.create(session, username=name, password=PASSWORD)
    return name


def sign_in(page: Any, name: str, going_to: str = "/events/new") -> None:
    page.goto(going_to)
    assert "/login" in page.url
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{going_to}")


def test_an_editor_adds_an_event_and_sees_it_on_the_timeline_and_its_page(
    page: Any, live_server: LiveServer, console: Console
) -> None:
    name = new_editor(live_server)
    sign_in(page, name)
    assert page.get_by_role("button", name=f"Sign out ({name})").is_visible()

    page.get_by_role("textbox", name="Title (required)").fill("Witkoff and Umerov meet in Miami")
    page.get_by_label("Summary").fill("A follow-up to the second round.")
    page.get_by_label("Kind", exact=True).select_option("meeting")
    page.get_by_label("Start date").fill("2026-02-07")
    page.get_by_label("Start time").fill("15:30")

    # The picker searches as you type: the suggestions narrow to what matches.
    first = page.locator("#participants-0-actor")
    first.press_sequentially("Witk", delay=30)
    page.wait_for_function(
        "() => { const o = [...document.querySelectorAll('#actor-list option')];"
        " return o.length >= 1 && o.every(x => x.value.includes('Witk')); }"
    )
    first.fill("Steve Witkoff")
    page.locator("#participants-0-role").select_option("mediator")

    second = page.locator("#participants-1-actor")
    second.fill("Rustem Umerov")
    page.locator("[data-row=participants-1] summary").click()
    page.get_by_label("Create a new actor with this name").nth(1).check()
    page.locator("#participants-1-affiliation").fill("Ukraine")
    page.locator("#participants-1-role").select_option("delegate")

    page.get_by_label("Web address").fill("https://example.org/miami-meeting")
    page.get_by_label("Publisher").fill("Example News")
    page.get_by_label("Quote", exact=True).fill("We had a constructive meeting.")
    # Said in English: the original quote and its language stay empty.
    page.get_by_label("Who said it").fill("Steve Witkoff")
    page.get_by_role("button", name="Save event").click()

    page.wait_for_url(re.compile(r"/events/2026-02-07-witkoff-and-umerov-meet-in-miami"))
    assert page.locator("h1").inner_text() == "Witkoff and Umerov meet in Miami"
    participants = page.locator(".participants").inner_text()
    assert "Steve Witkoff" in participants and "Rustem Umerov" in participants
    assert "(Ukraine)" in participants
    assert "We had a constructive meeting." in page.locator(".sources").inner_text()
    assert page.get_by_role("link", name="Edit").is_visible()

    page.goto("/")
    article = page.locator(
        '#event-list article[data-slug="2026-02-07-witkoff-and-umerov-meet-in-miami"]'
    )
    assert article.count() == 1
    assert "Witkoff and Umerov meet in Miami" in article.inner_text()
    assert console.errors == []


def test_an_end_before_the_start_shows_the_error_and_keeps_every_field(
    page: Any, live_server: LiveServer, console: Console
) -> None:
    sign_in(page, new_editor(live_server))
    typed = {
        "#title": "Talks in Geneva",
        "#summary": "Delegations meet again.",
        "#start_date": "2026-03-10",
        "#end_date": "2026-03-09",
        "#place": "Abu Dhabi",
        "#participants-0-actor": "Russia",
        "#participants-1-actor": "Ukraine",
        "#sources-0-url": "https://example.org/geneva",
        "#sources-0-publisher": "Example News",
        "#sources-0-quote": "The talks will last two days.",
        "#tags": "territories",
    }
    for selector, value in typed.items():
        page.locator(selector).fill(value)
    page.locator("#kind").select_option("talks")
    page.locator("#date_approximate").check()
    page.get_by_role("button", name="Save event").click()

    error = page.locator("#end_date-error")
    assert "before the start date" in error.inner_text()
    assert page.locator("#end_date").get_attribute("aria-invalid") == "true"
    assert "nothing was saved" in page.locator("#error-summary").inner_text()
    for selector, value in typed.items():
        assert page.locator(selector).input_value() == value, selector
    assert page.locator("#kind").input_value() == "talks"
    assert page.locator("#date_approximate").is_checked()
    # The summary takes the focus, and its link leads to the field.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.locator("#error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "end_date"
    assert axe_violations(page) == []
    # The page answers 422 (the browser logs the status); no script error beyond that.
    assert [e for e in console.errors if "422" not in e] == []


def test_two_editors_edit_the_same_event_and_the_second_loses_nothing(
    browser: Any, live_server: LiveServer
) -> None:
    slug = "peskov-next-round-next-week-2026-01-26"
    first_name, second_name = new_editor(live_server), new_editor(live_server)
    one = browser.new_context(base_url=live_server.url)
    two = browser.new_context(base_url=live_server.url)
    try:
        first, second = one.new_page(), two.new_page()
        sign_in(first, first_name, f"/events/{slug}/edit")
        sign_in(second, second_name, f"/events/{slug}/edit")

        first.locator("#summary").fill("Peskov says the next round is next week (first editor).")
        first.locator("#reason").fill("sharper summary")
        first.get_by_role("button", name="Save changes").click()
        first.wait_for_url(f"**/events/{slug}?saved=1")

        second.locator("#title").fill("Peskov: next round of talks next week")
        second.locator("#reason").fill("clearer title")
        second.get_by_role("button", name="Save changes").click()

        conflict = second.locator("#conflict")
        assert "Someone else saved this event" in conflict.inner_text()
        assert "(first editor)" in conflict.locator("td.theirs").first.inner_text()
        assert second.locator("#title").input_value() == "Peskov: next round of talks next week"
        assert second.locator("#reason").input_value() == "clearer title"
        assert axe_violations(second) == []
        with live_server.database.session() as session:
            event = reading.get_by_slug(session, slug=slug)
            assert event.title != "Peskov: next round of talks next week"

        # Merge: take the first editor's summary too ("Use theirs"), and save on the new version.
        second.locator('#conflict tr[data-field="summary"]').get_by_role(
            "button", name="Use theirs"
        ).click()
        assert "(first editor)" in second.locator("#summary").input_value()
        second.get_by_role("button", name="Save changes").click()
        second.wait_for_url(f"**/events/{slug}?saved=1")
        assert second.locator("h1").inner_text() == "Peskov: next round of talks next week"
        assert "(first editor)" in second.locator(".lede").inner_text()
    finally:
        one.close()
        two.close()


def test_restore_a_revision_from_the_history(page: Any, live_server: LiveServer) -> None:
    slug = "zelenskyy-evening-address-2026-01-26"
    sign_in(page, new_editor(live_server), f"/events/{slug}/edit")
    original = page.locator("#title").input_value()
    page.locator("#title").fill("A wrong title")
    page.locator("#reason").fill("testing a mistake")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"**/events/{slug}?saved=1")

    page.goto(f"/events/{slug}/history")
    assert axe_violations(page) == []
    newest = page.locator("li.revision").first
    assert "testing a mistake" in newest.inner_text()
    assert "A wrong title" in newest.locator("ins").first.inner_text()
    before = page.locator("li.revision").nth(1)
    version = before.get_attribute("data-version")
    before.get_by_role("button", name=f"Restore version {version}").click()
    page.wait_for_url(f"**/events/{slug}?restored={version}")
    assert page.locator("h1").inner_text() == original
    page.goto(f"/events/{slug}/history")
    assert f"restored version {version}" in page.locator("li.revision").first.inner_text()


def test_a_visitors_suggestion_is_published_by_an_editor(
    browser: Any, live_server: LiveServer
) -> None:
    visitor = browser.new_context(base_url=live_server.url)
    try:
        page = visitor.new_page()
        page.goto("/suggest")
        assert axe_violations(page) == []
        page.get_by_label("What happened").fill("Prisoner exchange announced")
        page.get_by_label("When").fill("2026-02-05")
        page.get_by_label("Where").fill("Abu Dhabi")
        page.get_by_label("Link to a report").fill("https://example.org/exchange")
        page.get_by_role("button", name="Send suggestion").click()
        assert "Your suggestion was received" in page.locator("main").inner_text()
    finally:
        visitor.close()

    editor = browser.new_context(base_url=live_server.url)
    try:
        page = editor.new_page()
        sign_in(page, new_editor(live_server), "/review")
        page.get_by_role("link", name="Prisoner exchange announced").click()
        page.get_by_role("link", name="Open in the full form to publish").click()
        assert page.locator("#title").input_value() == "Prisoner exchange announced"
        assert page.locator("#place").input_value() == "Abu Dhabi"
        assert page.locator("#sources-0-url").input_value() == "https://example.org/exchange"
        page.locator("#kind").select_option("agreement")
        page.locator("#sources-0-publisher").fill("Example News")
        page.get_by_role("button", name="Save event").click()
        page.wait_for_url(re.compile(r"/events/2026-02-05-prisoner-exchange-announced"))
        page.goto("/review?status=accepted")
        assert "Prisoner exchange announced" in page.locator("main").inner_text()
    finally:
        editor.close()
    with live_server.database.session() as session:
        accepted = suggestion_service.get_all(session, status="accepted")
        assert any(s.title == "Prisoner exchange announced" for s in accepted)


@pytest.fixture
def other_site(live_server: LiveServer) -> Iterator[str]:
    """Another origin (a second server, on `localhost`) with a form aimed at Parley."""
    target = live_server.url
    html = f"""<!doctype html><html lang="en"><title>Other site</title>
<form method="post" action="{target}/events/new">
<input name="title" value="Forged event"><input name="kind" value="call">
<input name="start_date" value="2026-04-01"><input name="csrf_token" value="guess">
<button type="submit">Win a prize</button></form></html>""".encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: Any) -> None:
            pass

    port = free_port()
    server = http.server.HTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{port}/"
    server.shutdown()
    thread.join(timeout=5)


def test_a_form_posted_from_another_site_is_refused(
    page: Any, live_server: LiveServer, other_site: str
) -> None:
    # Even signed in: the browser sends the cookie (a top-level POST), the check refuses it.
    sign_in(page, new_editor(live_server))
    page.goto(other_site)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Win a prize").click()
    response = navigation.value
    assert response.status == 403
    assert "came from another site" in page.locator("main").inner_text()
    with live_server.database.session() as session:
        titles = [e.title for e in listing.list_events(session, limit=500).items]
    assert "Forged event" not in titles


def test_a_closed_tab_loses_nothing_the_draft_comes_back(
    page: Any, live_server: LiveServer, console: Console
) -> None:
    sign_in(page, new_editor(live_server))
    page.locator("#title").fill("Draft that must survive")
    page.locator("#participants-0-actor").fill("Russia")
    page.get_by_role("button", name="Add another participant").click()
    page.locator("#participants-2-actor").fill("Ukraine")
    page.wait_for_timeout(600)  # the draft is written a moment after typing stops
    page.goto("/")
    page.goto("/events/new")
    offer = page.locator("#draft-offer")
    assert offer.is_visible()
    offer.get_by_role("button", name="Restore the draft").click()
    page.wait_for_load_state()
    assert page.locator("#title").input_value() == "Draft that must survive"
    assert page.locator("#participants-2-actor").input_value() == "Ukraine"
    assert "Your draft is back" in page.locator("main").inner_text()
    with live_server.database.session() as session:
        titles = [e.title for e in listing.list_events(session, limit=500).items]
    assert "Draft that must survive" not in titles
    assert console.errors == []
