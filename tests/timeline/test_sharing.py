"""Sharing the timeline: downloads and subscriptions for the filters shown, the framable
/embed and the oEmbed answer, the frame policy of every other page, meta tags and the icon."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from app.core.database import Database
from tests.support.images import image_bytes
from tests.support.tags import meta, read_tags, tags

FILTERED = "/?kind=talks&actor=russia&start=2026-01-01&end=2026-03-01&lanes=kind"


def _query(url: str) -> list[tuple[str, str]]:
    return sorted(parse_qsl(urlsplit(url).query))


def test_the_page_offers_every_export_for_exactly_its_filters(
    client: Any, seeded: Database
) -> None:
    page = client.get(FILTERED).text
    filters = [("actor", "russia"), ("kind", "talks")]
    alternates = {
        link["type"]: link["href"] for link in tags(page, "link") if link.get("rel") == "alternate"
    }
    for media_type, path in (
        ("text/csv", "/api/v1/events.csv"),
        ("application/x-ndjson", "/api/v1/events.ndjson"),
        ("text/calendar", "/api/v1/events.ics"),
        ("application/atom+xml", "/api/v1/changes.atom"),
    ):
        assert urlsplit(alternates[media_type]).path == path
        assert _query(alternates[media_type]) == filters  # the window is not a filter
    links = {a["data-export"]: a["href"] for a in tags(page, "a") if "data-export" in a}
    assert set(links) == {"csv", "ndjson", "timelinejs", "calendar", "webcal", "feed"}
    for name, href in links.items():
        assert _query(href) == filters, name
    assert links["webcal"].startswith("webcal://testserver/api/v1/events.ics?")
    # Each of them answers, with what the list answers.
    listed = client.get("/api/v1/events?kind=talks&actor=russia").json()["items"]
    lines = client.get(links["ndjson"]).content.splitlines()
    assert len(lines) == len(listed) > 0
    for name in ("csv", "timelinejs", "calendar", "feed"):
        assert client.get(links[name]).status_code == 200, name


def test_pages_carry_a_description_open_graph_and_an_icon(client: Any, seeded: Database) -> None:
    for path in ("/", "/about", "/events/abu-dhabi-talks-round-1"):
        page = client.get(path).text
        found = meta(page)
        for name in ("description", "og:title", "og:description", "og:url", "og:type"):
            assert found.get(name), (path, name)
        assert found["og:site_name"] == "Parley test"
        assert found["og:url"] == f"http://testserver{path}"
        (icon,) = [link for link in tags(page, "link") if link.get("rel") == "icon"]
        answer = client.get(icon["href"])
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/svg+xml"
        assert b"<svg" in answer.content
    event = meta(client.get("/events/abu-dhabi-talks-round-1?saved=1").text)
    assert event["og:type"] == "article"
    assert event["og:url"] == "http://testserver/events/abu-dhabi-talks-round-1"
    assert "Abu Dhabi" in event["description"] and event["description"].startswith("Jan 23")


def test_no_page_but_the_embed_may_be_framed(client: Any, seeded: Database) -> None:
    for path in ("/", "/about", "/events/abu-dhabi-talks-round-1", "/api/v1/events", "/nope"):
        policy = client.get(path).headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, path
    embed = client.get("/embed?kind=talks")
    assert embed.status_code == 200
    policy = embed.headers["content-security-policy"]
    assert "frame-ancestors *" in policy and "'none'" not in policy.split("frame-ancestors")[1]
    assert "script-src 'self'" in policy  # the rest of the policy still holds
    assert "x-frame-options" not in embed.headers


def test_the_embed_is_the_timeline_alone_with_a_link_back(client: Any, seeded: Database) -> None:
    page = client.get("/embed?kind=talks&lanes=kind&start=2026-01-01&end=2026-03-01").text
    found = read_tags(page)
    (timeline,) = [attrs for tag, attrs in found.tags if attrs.get("id") == "timeline"]
    assert timeline["data-lanes"] == "kind"
    assert timeline["data-start"] == "2026-01-01" and timeline["data-end"] == "2026-03-01"
    assert _query(timeline["data-query"]) == [("kind", "talks")]
    assert not [attrs for tag, attrs in found.tags if attrs.get("id") == "event-list"]
    assert not [attrs for tag, attrs in found.tags if tag == "nav"]
    back = [a["href"] for a in tags(page, "a")]
    assert any(
        _query(href) == _query("/?kind=talks&lanes=kind&start=2026-01-01&end=2026-03-01")
        for href in back
    )
    assert [b.get("target") for b in tags(page, "base")] == ["_top"]


def test_the_embed_control_shows_the_snippet_for_the_page_itself(
    client: Any, seeded: Database
) -> None:
    cursor = client.get("/api/v1/events?kind=talks&actor=russia&limit=1").json()["next_cursor"]
    page = client.get(f"{FILTERED}&cursor={cursor}").text
    snippet = read_tags(page).textareas["embed-snippet"]
    (iframe,) = tags(snippet, "iframe")
    src = iframe["src"]
    assert src.startswith("http://testserver/embed?")
    assert _query(src) == _query(FILTERED)  # filters, window and lanes; not the list's paging
    assert iframe["width"] and iframe["height"] and iframe["title"]


def test_oembed_answers_a_rich_iframe_of_the_same_view(client: Any, seeded: Database) -> None:
    page = "http://testserver" + FILTERED
    answer = client.get(f"/oembed?url={quote(page)}&format=json&maxwidth=500&maxheight=900")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert body["provider_name"] == "Parley test" and body["title"]
    assert body["width"] == 500 and body["height"] <= 900
    (iframe,) = tags(body["html"], "iframe")
    assert iframe["width"] == "500"
    assert _query(iframe["src"]) == _query(FILTERED)
    assert client.get(iframe["src"]).status_code == 200
    one = client.get(f"/oembed?url={quote('http://testserver/events/abu-dhabi-talks-round-1')}")
    assert _query(tags(one.json()["html"], "iframe")[0]["src"]) == [
        ("event", "abu-dhabi-talks-round-1")
    ]
    assert one.json()["title"] == "Trilateral consultations in Abu Dhabi · Parley test"
    # The page announces it.
    discovery = [
        link["href"]
        for link in tags(client.get(FILTERED).text, "link")
        if link.get("type") == "application/json+oembed"
    ]
    assert dict(parse_qsl(urlsplit(discovery[0]).query))["url"] == page


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        (f"url={quote('https://elsewhere.example/?kind=talks')}", 404, None),
        (f"url={quote('http://testserver/about')}", 404, None),
        (f"url={quote('http://testserver/events/no-such-event')}", 404, None),
        (f"url={quote('http://testserver/?kind=picnic')}", 422, "kind"),
        (f"url={quote('http://testserver/?actor=nobody')}", 422, "actor"),
        ("url=not-a-url", 404, None),
        (f"url={quote('http://testserver/')}&format=xml", 501, None),
        (f"url={quote('http://testserver/')}&maxwidth=0", 422, "maxwidth"),
        ("", 422, "url"),
    ],
)
def test_oembed_refuses_what_it_cannot_embed(
    client: Any, seeded: Database, query: str, status: int, field: str | None
) -> None:
    answer = client.get(f"/oembed?{query}")
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    if field:
        assert answer.json()["errors"][0]["loc"] == ["query", field]


def test_an_embed_of_filters_that_name_nothing_says_so(client: Any, seeded: Database) -> None:
    # An iframe of "every event" for a misspelt filter would show something false.
    for query, name in (("kind=bogus", "kind"), ("actor=nobody", "actor"), ("from=soon", "from")):
        answer = client.get(f"/embed?{query}")
        assert answer.status_code == 422, query
        assert name in answer.text


def test_a_story_and_an_event_page_share_their_event(
    client: Any, seeded: Database, auth: dict[str, str]
) -> None:
    slug = "abu-dhabi-talks-round-1"
    story = meta(client.get(f"/story?event={slug}").text)
    assert story["description"].startswith("Jan 23") and "Abu Dhabi" in story["description"]
    assert "og:image" not in story
    upload = client.post(
        "/api/v1/media",
        headers=auth,
        files={"file": ("x", image_bytes("PNG"))},
        data={"alt": "Delegations at the table"},
    )
    etag = client.get(f"/api/v1/events/{slug}").headers["etag"]
    client.patch(
        f"/api/v1/events/{slug}",
        headers={**auth, "If-Match": etag},
        json={"media": [{"url": upload.json()["url"], "alt": "Delegations at the table"}]},
    ).raise_for_status()
    for path in (f"/story?event={slug}", f"/events/{slug}"):
        shared = meta(client.get(path).text)
        assert shared["og:image"] == f"http://testserver{upload.json()['url']}", path
        assert shared["og:image:alt"] == "Delegations at the table"
        assert client.get(shared["og:image"]).status_code == 200


def test_shared_text_is_escaped(client: Any, seeded: Database) -> None:
    page = client.get("/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E").text
    assert "<script>alert(1)" not in page
    snippet = read_tags(page).textareas["embed-snippet"]
    assert "<script>" not in html.unescape(tags(snippet, "iframe")[0]["src"])
