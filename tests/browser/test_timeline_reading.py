"""The timeline read at a glance, at 1366 px and on a 360 px phone: every title whole where it is
drawn, each event at its date and in its lane, badges beside titles, empty windows that lead
somewhere, keys, axe and no request to another host."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.support.browser import axe_violations
from tests.support.servers import LiveServer
from tests.support.timeline import (
    VIEWPORTS,
    drawn_titles,
    new_page,
    probe,
    settle,
    unreadable_titles,
    wait_drawn,
    wait_for_probe,
)

pytestmark = pytest.mark.parametrize("viewport", list(VIEWPORTS))


def seed_window(live_server: LiveServer) -> dict[str, Any]:
    """The seed events and their lanes, as the API tells them."""
    with live_server.api() as api:
        data: dict[str, Any] = api.get(
            "/api/v1/timeline", params={"start": "2026-01-01", "end": "2026-03-01"}
        ).json()
    return data


def assert_readable(page: Any) -> None:
    """Every drawn title whole and inside the timeline, waiting a moment for it to settle."""
    wait_for_probe(page, "unreadableTitles().length === 0")
    assert unreadable_titles(page) == []


def wait_for_title(page: Any, start: str) -> None:
    page.wait_for_function(
        "start => [...document.querySelectorAll('#timeline .item-title')]"
        ".some(t => t.textContent.startsWith(start))",
        arg=start,
    )
    settle(page)


def wait_for_window_change(page: Any, before: str) -> None:
    """Until the address holds another window and has held it for a moment: a zoom or a fit
    moves the window through a short animation, and the address follows at its end."""
    page.wait_for_function(
        """url => {
          const seen = window.__lastHref || (window.__lastHref = { href: "", at: 0 });
          if (seen.href !== location.href) {
            seen.href = location.href;
            seen.at = performance.now();
          }
          return location.href !== url && performance.now() - seen.at > 400;
        }""",
        arg=before,
        polling=50,
    )
    wait_drawn(page)


def test_every_title_is_readable_on_arrival_after_fit_all_and_beside_the_details(
    browser: Any, live_server: LiveServer, viewport: str
) -> None:
    seed = sorted(item["title"] for item in seed_window(live_server)["items"])
    context, page, errors = new_page(browser, live_server.url, viewport)
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(request.url))
    try:
        page.goto("/")
        wait_drawn(page)
        assert sorted(drawn_titles(page)) == seed
        assert_readable(page)

        # Zoomed in, then "Fit all": every event again, every title whole.
        before = page.url
        page.get_by_role("button", name="Zoom in").click()
        wait_for_window_change(page, before)
        before = page.url
        page.get_by_role("button", name="Fit all").click()
        wait_for_window_change(page, before)
        page.wait_for_function(
            "n => document.querySelectorAll('#timeline .item-title').length === n", arg=len(seed)
        )
        assert sorted(drawn_titles(page)) == seed
        assert_readable(page)

        # The details open beside (or, on a phone, under) the event: still every title whole.
        page.locator("#timeline .item-title", has_text="Second round of trilateral").click()
        page.locator("#event-detail h2").wait_for()
        settle(page)
        assert page.locator("#event-detail h2").inner_text() == (
            "Second round of trilateral talks in Abu Dhabi"
        )
        assert sorted(drawn_titles(page)) == seed
        assert_readable(page)
    finally:
        context.close()
    assert errors == []
    assert [url for url in hosts if not url.startswith(live_server.url)] == []


def test_each_event_stands_at_its_date_in_its_lane(
    browser: Any, live_server: LiveServer, viewport: str
) -> None:
    window = seed_window(live_server)
    lanes = {lane["id"]: lane["name"] for lane in window["groups"]}
    expected = {item["slug"]: item for item in window["items"]}
    context, page, errors = new_page(browser, live_server.url, viewport)
    try:
        # Jan 20 to Feb 3: every seed event, and one first of a month (Feb 1) on the axis.
        page.goto("/?start=2026-01-20&end=2026-02-03")
        wait_drawn(page)
        if viewport == "phone":
            assert_vertical_places(page, expected, lanes)
        else:
            assert_horizontal_places(page, expected, lanes)
    finally:
        context.close()
    assert errors == []


def assert_horizontal_places(page: Any, expected: dict[str, Any], lanes: dict[str, str]) -> None:
    wait_for_probe(page, f"Object.keys(places().items).length === {len(expected)}")
    drawn = probe(page, "places")
    assert set(drawn["items"]) == set(expected)
    # Anchors lie on one straight scale of days: each box's marked edge is its date.
    day = {
        slug: dt.date.fromisoformat(item["start"]).toordinal() for slug, item in expected.items()
    }
    first = min(day, key=lambda s: day[s])
    last = max(day, key=lambda s: day[s])
    scale = (drawn["items"][last]["anchor"] - drawn["items"][first]["anchor"]) / (
        day[last] - day[first]
    )
    assert scale > 10, "days must be wide enough to tell apart"
    for slug, place in drawn["items"].items():
        predicted = drawn["items"][first]["anchor"] + scale * (day[slug] - day[first])
        assert abs(place["anchor"] - predicted) <= 2, (slug, place["anchor"], predicted)
        assert place["lane"] == lanes[expected[slug]["lane"]], slug
    # And that scale is the axis's: Feb 1 stands where the axis says "1".
    feb_first = [left for text, left in drawn["minor"] if text == "1"]
    if feb_first:
        predicted = drawn["items"][first]["anchor"] + scale * (
            dt.date(2026, 2, 1).toordinal() - day[first]
        )
        assert abs(feb_first[0] - predicted) <= 3
    # No dot or stem drawn across lanes or on the axis, away from its event.
    assert drawn["strays"] == []


def assert_vertical_places(page: Any, expected: dict[str, Any], lanes: dict[str, str]) -> None:
    entries = probe(page, "verticalPlaces")
    assert {entry["slug"] for entry in entries} == set(expected)
    # Top to bottom in date order, each marker on the line beside its date, its lane named.
    assert [entry["date"] for entry in entries] == sorted(entry["date"] for entry in entries)
    for entry in entries:
        item = expected[entry["slug"]]
        assert entry["date"] == item["start"]
        assert entry["lane"] == lanes[item["lane"]]
        assert entry["onLine"] and entry["besideDate"], entry


def test_status_badges_sit_beside_titles_never_over_them(
    browser: Any, live_server: LiveServer, viewport: str
) -> None:
    context, page, errors = new_page(browser, live_server.url, viewport)
    try:
        page.goto("/")
        wait_drawn(page)
        settle(page)
        badges = probe(page, "badges")
        assert [b["note"].lower() for b in badges] == ["awaiting confirmation"]
        assert all(b["shown"] and not b["overlap"] for b in badges), badges
        assert_readable(page)
    finally:
        context.close()
    assert errors == []


def test_an_empty_window_names_the_nearest_events_and_one_click_goes_there(
    browser: Any, live_server: LiveServer, viewport: str
) -> None:
    context, page, errors = new_page(browser, live_server.url, viewport)
    try:
        # Between Jan 29 and Jan 31 nothing happens: the Kremlin before, round 2 after.
        page.goto("/?start=2026-01-29&end=2026-01-31")
        wait_drawn(page)
        # The nearest events are asked for once the empty window is drawn: a moment later.
        page.wait_for_function(
            "() => document.querySelector('#timeline-status').textContent.includes(':')"
        )
        status = page.locator("#timeline-status").inner_text()
        assert status.startswith("0 events")
        assert "Jan 28, 2026" in status and "Feb 1, 2026" in status
        earlier = page.get_by_role("button", name=re.compile(r"^← Earlier: Kremlin announces"))
        later = page.get_by_role("button", name=re.compile(r"^Later: Second round"))
        assert "Jan 28, 2026" in earlier.inner_text()
        later.click()
        page.wait_for_url(re.compile(r"event=abu-dhabi-talks-round-2"))
        wait_for_title(page, "Second round")
        assert "Second round of trilateral talks in Abu Dhabi" in drawn_titles(page)
        assert_readable(page)
        page.locator("#timeline-nearest").wait_for(state="hidden")
        page.locator("#event-detail h2", has_text="Second round").wait_for()

        # Far from everything, ← on the timeline goes back to the last event.
        page.goto("/?start=2026-06-01&end=2026-07-01")
        wait_drawn(page)
        # The button comes with the second answer (the nearest events), after the count.
        page.get_by_role("button", name=re.compile(r"^← Earlier: Second round")).wait_for()
        page.locator("#timeline").focus()
        page.keyboard.press("ArrowLeft")
        page.wait_for_url(re.compile(r"event=abu-dhabi-talks-round-2"))
        wait_for_title(page, "Second round")
        assert "Second round of trilateral talks in Abu Dhabi" in drawn_titles(page)

        # "Today" lands on today; long after the seed events, it offers the way back to them.
        page.goto("/")
        wait_drawn(page)
        page.get_by_role("button", name="Today").click()
        today = dt.date.today()
        page.wait_for_function(
            "today => { const p = new URLSearchParams(location.search);"
            " return p.get('start') <= today && today <= p.get('end'); }",
            arg=today.isoformat(),
        )
        if today > dt.date(2026, 3, 1):
            back = page.get_by_role("button", name=re.compile(r"^← Earlier: Second round"))
            back.click()
            wait_for_title(page, "Second round")
            assert_readable(page)
    finally:
        context.close()
    assert errors == []


def test_keys_and_axe_at_this_width(browser: Any, live_server: LiveServer, viewport: str) -> None:
    context, page, errors = new_page(browser, live_server.url, viewport)
    try:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            page.goto("/")
            wait_drawn(page)
            assert axe_violations(page) == [], scheme
        page.locator("#timeline").focus()
        page.keyboard.press("ArrowRight")
        page.locator("#event-detail h2").wait_for()
        first = page.locator("#event-detail h2").inner_text()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "t => document.querySelector('#event-detail h2').textContent !== t", arg=first
        )
        violations = axe_violations(page)
        assert violations == [], [(v["id"], v["nodes"][0]["target"]) for v in violations]
        page.locator("#timeline").focus()
        before = page.url
        page.keyboard.press("+")
        page.wait_for_function("url => location.href !== url", arg=before)
        page.keyboard.press("Escape")
        assert page.locator("#event-detail").is_hidden()
        page.keyboard.press("ArrowLeft")
        page.locator("#event-detail h2").wait_for()
        slug = re.search(r"event=([\w-]+)", page.url)
        assert slug
        page.locator("#timeline").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/events/{slug.group(1)}$"))
        # An empty window, with its buttons to the nearest events, passes axe too.
        page.goto("/?start=2026-01-29&end=2026-01-31")
        wait_drawn(page)
        # The buttons come with the second answer (the nearest events), after the count.
        page.locator("#timeline-nearest button").nth(1).wait_for()
        assert page.locator("#timeline-nearest button").count() == 2
        assert axe_violations(page) == []
    finally:
        context.close()
    assert errors == []
