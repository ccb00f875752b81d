"""The exports, read back with the libraries their users read them with: csv, icalendar,
feedparser, and JSON line by line against the single-event answer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import feedparser
import icalendar
import pytest

from app.core.database import Database
from app.exports import walk
from tests.support.exports import COLUMNS
from tests.support.factory import Factory

EXPORTS = (
    "/api/v1/events.csv",
    "/api/v1/events.ndjson",
    "/api/v1/events.ics",
    "/api/v1/timelinejs.json",
    "/api/v1/changes.atom",
)

TRICKY = 'Talks, "round 2" in Абу-Дабі; =SUM(A1) ✓'


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of two, so a handful of events crosses several of them."""
    monkeypatch.setattr(walk, "BATCH", 2)


def _etag(client: Any, slug: str) -> str:
    return str(client.get(f"/api/v1/events/{slug}").headers["ETag"])


def _delete(client: Any, auth: dict[str, str], slug: str) -> None:
    answer = client.delete(
        f"/api/v1/events/{slug}", headers={**auth, "If-Match": _etag(client, slug)}
    )
    assert answer.status_code == 204


def _csv(client: Any, query: str = "") -> list[dict[str, str]]:
    answer = client.get(f"/api/v1/events.csv{query}")
    assert answer.status_code == 200
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"), newline="")))


@pytest.mark.usefixtures("small_batches")
def test_ndjson_lines_are_the_single_event_answers_byte_for_byte(
    client: Any, seeded: Database, make: Factory, auth: dict[str, str]
) -> None:
    make.event(
        title=TRICKY,
        body='Line\nbreak, "quotes" </script> \u2028 🕊',
        start_date=dt.date(2026, 3, 1),
    )
    gone = make.event(title="Withdrawn", start_date=dt.date(2026, 3, 2))
    # Links both ways, one of them to an event then deleted (answers leave that one out).
    make.event(
        title="Follows up",
        start_date=dt.date(2026, 3, 3),
        place=make.place(name="Geneva", timezone="Europe/Zurich", latitude=46.2, longitude=6.15),
        links=[
            {"kind": "follows_up", "event": gone},
            {"kind": "related", "event": "abu-dhabi-talks-round-1"},
        ],
    )
    _delete(client, auth, gone)

    answer = client.get("/api/v1/events.ndjson")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/x-ndjson"
    lines = answer.content.split(b"\n")
    assert lines[-1] == b""  # every line ends in a newline, the last one too
    lines = lines[:-1]
    slugs = [json.loads(line)["slug"] for line in lines]
    listed = client.get("/api/v1/events?limit=500").json()["items"]
    assert slugs == [item["slug"] for item in listed]  # every event, in date order
    assert gone not in slugs
    for line, slug in zip(lines, slugs, strict=True):
        assert line == client.get(f"/api/v1/events/{slug}").content

    with_deleted = client.get("/api/v1/events.ndjson?include_deleted=true").content.splitlines()
    deleted = [json.loads(line) for line in with_deleted if json.loads(line)["slug"] == gone]
    assert deleted and deleted[0]["deleted_at"]


@pytest.mark.usefixtures("small_batches")
def test_exports_take_the_list_filters(client: Any, seeded: Database) -> None:
    query = "?kind=talks&from=2026-01-01"
    expected = [e["slug"] for e in client.get(f"/api/v1/events{query}&limit=500").json()["items"]]
    assert expected
    ndjson = client.get(f"/api/v1/events.ndjson{query}").content.splitlines()
    assert [json.loads(line)["slug"] for line in ndjson] == expected
    assert [row["slug"] for row in _csv(client, query)] == expected
    calendar = icalendar.Calendar.from_ical(client.get(f"/api/v1/events.ics{query}").content)
    pages = [str(event["URL"]).rsplit("/", 1)[1] for event in calendar.walk("VEVENT")]
    assert pages == expected
    slides = client.get(f"/api/v1/timelinejs.json{query}").json()["events"]
    assert [slide["unique_id"] for slide in slides] == expected


@pytest.mark.parametrize("path", EXPORTS)
def test_a_filter_that_names_nothing_is_422_on_every_format(
    client: Any, seeded: Database, path: str
) -> None:
    for query, field in (
        ("actor=no-such-actor", "actor"),
        ("tag=no-such-tag", "tag"),
        ("kind=picnic", "kind"),
        ("from=2026-02-01&to=2026-01-01", "to"),
        ("from=yesterday", "from"),
    ):
        answer = client.get(f"{path}?{query}")
        assert answer.status_code == 422, (path, query)
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["errors"][0]["loc"] == ["query", field]


def test_publishing_formats_refuse_include_deleted(client: Any, seeded: Database) -> None:
    for path in ("/api/v1/events.csv", "/api/v1/events.ics", "/api/v1/timelinejs.json"):
        answer = client.get(f"{path}?include_deleted=true")
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["loc"] == ["query", "include_deleted"]


def test_csv_opens_in_a_spreadsheet_and_reads_back(
    client: Any, database: Database, make: Factory
) -> None:
    actor = make.actor(name="Rustem Umerov")
    tag = make.tag(name="Energy")
    place = make.place(name="Abu Dhabi", timezone="Asia/Dubai")
    slug = make.event(
        title=TRICKY,
        summary="-5 degrees, +3 later; @ the hotel",
        body='First line\r\nsecond, "quoted" line\n',
        place=place,
        tags=[tag],
        participants=[{"actor": actor, "role": "speaker"}],
        sources=[{"url": "https://example.org/a?b=1,2", "publisher": "Example"}],
        start_time=dt.time(10, 30),
    )
    answer = client.get("/api/v1/events.csv")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in answer.headers["content-disposition"]
    raw = answer.content
    assert raw.startswith(b"\xef\xbb\xbfslug,")  # a BOM, so Excel reads UTF-8
    assert b"\r\n" in raw and raw.endswith(b"\r\n")
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    # The columns the contract names (as tests/support/exports writes them for imports).
    for column in COLUMNS:
        assert column in header
    (row,) = _csv(client)
    assert row["slug"] == slug
    assert row["title"] == TRICKY  # commas, quotes, line breaks and Cyrillic survive
    assert row["summary"] == "'-5 degrees, +3 later; @ the hotel"  # not a formula
    assert row["body"] == client.get(f"/api/v1/events/{slug}").json()["body"]
    assert '\r\nsecond, "quoted"' in row["body"]
    assert row["participants"] == f"{actor}:speaker"
    assert row["tags"] == tag
    assert row["place"] == place
    assert row["sources"] == "https://example.org/a?b=1,2"
    assert row["start_time"] == "10:30:00"
    assert row["date_approximate"] == "false"
    for column, cell in row.items():
        assert not cell.startswith(("=", "+", "-", "@")), column


def test_calendar_reads_in_icalendar(
    client: Any, database: Database, make: Factory, auth: dict[str, str]
) -> None:
    dubai = make.place(name="Abu Dhabi", timezone="Asia/Dubai")
    talks = make.event(
        title="Round of talks",
        kind="talks",
        start_date=dt.date(2026, 1, 23),
        end_date=dt.date(2026, 1, 24),
        place=dubai,
    )
    call = make.event(
        title="Phone call",
        kind="call",
        start_date=dt.date(2026, 2, 3),
        start_time=dt.time(14, 0),
        end_time=dt.time(15, 30),
        place=dubai,
        status="tentative",
    )
    plan = make.event(
        title="Maybe in March", start_date=dt.date(2026, 3, 1), date_precision="month"
    )
    off = make.event(title="Called off", start_date=dt.date(2026, 4, 1), status="cancelled")

    first = client.get("/api/v1/events.ics")
    assert first.headers["content-type"] == "text/calendar; charset=utf-8"
    client.patch(
        f"/api/v1/events/{talks}",
        json={"summary": "Two days"},
        headers={**auth, "If-Match": _etag(client, talks)},
    ).raise_for_status()
    calendar = icalendar.Calendar.from_ical(client.get("/api/v1/events.ics").content)
    assert str(calendar["X-WR-CALNAME"]) == "Parley test"
    events = {str(e["URL"]).rsplit("/", 1)[1]: e for e in calendar.walk("VEVENT")}
    assert set(events) == {talks, call, plan, off}
    # A UID never changes: not with an edit, nor when the site is reached by another name.
    uids = {str(e["UID"]) for e in events.values()}
    assert len(uids) == 4
    before = {str(e["UID"]) for e in icalendar.Calendar.from_ical(first.content).walk("VEVENT")}
    elsewhere = client.get("/api/v1/events.ics", headers={"Host": "parley.example.org"})
    renamed = icalendar.Calendar.from_ical(elsewhere.content).walk("VEVENT")
    assert uids == before == {str(e["UID"]) for e in renamed}

    two_days = events[talks]
    assert type(two_days.decoded("DTSTART")) is dt.date
    assert two_days.decoded("DTSTART") == dt.date(2026, 1, 23)
    assert two_days.decoded("DTEND") == dt.date(2026, 1, 25)  # the day after: exclusive
    assert int(two_days["SEQUENCE"]) == 2
    assert str(two_days["STATUS"]) == "CONFIRMED"
    assert str(two_days["URL"]) == f"http://testserver/events/{talks}"
    assert "Two days" in str(two_days["DESCRIPTION"])
    assert str(two_days["LOCATION"]) == "Abu Dhabi"

    timed = events[call]
    start = timed.decoded("DTSTART")
    assert isinstance(start, dt.datetime)
    assert timed["DTSTART"].params["TZID"] == "Asia/Dubai"
    assert start.utcoffset() == dt.timedelta(hours=4)
    assert timed.decoded("DTEND") - start == dt.timedelta(minutes=90)
    assert str(timed["STATUS"]) == "TENTATIVE"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Dubai"]

    month = events[plan]
    assert month.decoded("DTSTART") == dt.date(2026, 3, 1)
    assert month.decoded("DTEND") == dt.date(2026, 4, 1)  # the whole month it is known to
    assert str(events[off]["STATUS"]) == "CANCELLED"


def test_changes_feed_reads_in_feedparser(
    client: Any, database: Database, make: Factory, auth: dict[str, str]
) -> None:
    slug = make.event(title="Talks announced", author="alice")
    client.patch(
        f"/api/v1/events/{slug}",
        json={"title": "Talks <confirmed> & dated"},
        headers={**auth, "If-Match": _etag(client, slug), "X-Parley-Reason": "Reuters confirms"},
    ).raise_for_status()
    _delete(client, auth, slug)
    client.post(f"/api/v1/events/{slug}/revisions/2/restore", headers=auth).raise_for_status()

    answer = client.get("/api/v1/changes.atom")
    assert answer.headers["content-type"] == "application/atom+xml"
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Parley test: changes"
    assert any(link.rel == "self" for link in parsed.feed.links)
    entries = parsed.entries
    assert [entry.tags[0].term for entry in entries] == ["restore", "delete", "update", "create"]
    restored, deleted, edited, created = entries
    assert created.author == "alice" and edited.author == "tester"
    assert edited.title == "Edited: Talks <confirmed> & dated"
    assert "Reuters confirms" in edited.summary
    assert "Talks announced" in edited.summary and "Talks <confirmed> & dated" in edited.summary
    assert deleted.title.startswith("Deleted:") and restored.title.startswith("Restored:")
    assert edited.link == f"http://testserver/events/{slug}/history"
    assert edited.updated_parsed is not None
    again = feedparser.parse(client.get("/api/v1/changes.atom").content)
    assert [e.id for e in again.entries] == [e.id for e in entries]  # stable ids
    assert len(set(e.id for e in entries)) == 4
    # under any host name the site is reached by, so a reader never sees a change twice
    elsewhere = client.get("/api/v1/changes.atom", headers={"Host": "parley.example.org"})
    moved = feedparser.parse(elsewhere.content)
    assert [e.id for e in moved.entries] == [e.id for e in entries]
    # The feed itself too; a filtered feed is a feed of its own.
    assert moved.feed.id == parsed.feed.id
    filtered = feedparser.parse(client.get("/api/v1/changes.atom?kind=call").content)
    assert filtered.feed.id != parsed.feed.id

    other = make.event(title="Another", kind="call")
    only_calls = feedparser.parse(client.get("/api/v1/changes.atom?kind=call").content)
    assert [e.title for e in only_calls.entries] == ["Added: Another"]
    assert other
    assert len(feedparser.parse(client.get("/api/v1/changes.atom?limit=2").content).entries) == 2


def test_timelinejs_slides(client: Any, database: Database, make: Factory) -> None:
    russia = make.actor(name="Russia", kind="state")
    peskov = make.actor(name="Dmitry Peskov", affiliation=russia)
    said = make.event(
        title="Peskov <b>speaks</b>",
        kind="statement",
        start_date=dt.date(2026, 1, 22),
        date_approximate=True,
        participants=[{"actor": peskov, "role": "speaker"}],
    )
    timed = make.event(
        title="Call", kind="call", start_date=dt.date(2026, 2, 3), start_time=dt.time(9, 15)
    )
    planned = make.event(
        title="Next round",
        start_date=dt.date(2099, 5, 1),
        date_precision="month",
        status="tentative",
    )
    document = client.get("/api/v1/timelinejs.json").json()
    assert document["title"]["text"]["headline"] == "Parley test"
    slides = {slide["unique_id"]: slide for slide in document["events"]}
    assert list(slides) == [said, timed, planned]
    assert slides[said]["text"]["headline"] == "Peskov &lt;b&gt;speaks&lt;/b&gt;"
    assert slides[said]["display_date"] == "around Jan 22, 2026"
    assert slides[said]["group"] == "Statement"
    assert slides[said]["start_date"] == {"year": 2026, "month": 1, "day": 22}
    assert slides[timed]["start_date"] == {
        "year": 2026,
        "month": 2,
        "day": 3,
        "hour": 9,
        "minute": 15,
    }
    assert "display_date" not in slides[timed]
    assert slides[planned]["start_date"] == {"year": 2099, "month": 5}
    assert slides[planned]["display_date"] == "May 2099 · tentative"
    by_side = client.get("/api/v1/timelinejs.json?group=side").json()["events"]
    assert [slide["group"] for slide in by_side] == ["Russia", "No side named", "No side named"]
    ungrouped = client.get("/api/v1/timelinejs.json?group=none").json()["events"]
    assert all("group" not in slide for slide in ungrouped)
    assert client.get("/api/v1/timelinejs.json?group=colour").status_code == 422


def test_openapi_names_each_format_and_its_statuses(client: Any, database: Database) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, media_type in (
        ("/api/v1/events.csv", "text/csv"),
        ("/api/v1/events.ndjson", "application/x-ndjson"),
        ("/api/v1/events.ics", "text/calendar"),
        ("/api/v1/timelinejs.json", "application/json"),
        ("/api/v1/changes.atom", "application/atom+xml"),
    ):
        answers = paths[path]["get"]["responses"]
        assert media_type in answers["200"]["content"], path
        assert "application/problem+json" in answers["422"]["content"], path
