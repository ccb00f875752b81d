"""Sharing the timeline: the addresses of its exports for the filters shown, the iframe that
embeds it elsewhere, and the oEmbed answer that hands that iframe to other sites."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit

from app.core.errors import NotFound
from app.timeline.query import TimelineQuery

#: The iframe's size when the asking site sets no bounds.
EMBED_WIDTH = 800
EMBED_HEIGHT = 600
#: What an embed keeps of a page's address: the filters, the window, the lanes and the
#: selection (not the list's paging).
EMBED_PARAMS = frozenset(
    {"kind", "status", "actor", "place", "series", "tag", "q", "from", "to"}
    | {"lanes", "start", "end", "event"}
)


@dataclass(frozen=True)
class Export:
    """One way to take the events away: its label, MIME type and address."""

    label: str
    media_type: str
    url: str


def exports(query: TimelineQuery) -> dict[str, Export]:
    """The exports of exactly the filters shown, by name."""
    return {
        "csv": Export("CSV", "text/csv", query.url("/api/v1/events.csv")),
        "ndjson": Export(
            "JSON (NDJSON)", "application/x-ndjson", query.url("/api/v1/events.ndjson")
        ),
        "timelinejs": Export(
            "TimelineJS", "application/json", query.url("/api/v1/timelinejs.json")
        ),
        "calendar": Export("Calendar", "text/calendar", query.url("/api/v1/events.ics")),
        "feed": Export("Changes feed", "application/atom+xml", query.url("/api/v1/changes.atom")),
    }


def embed_path(params: list[tuple[str, str]]) -> str:
    """/embed with what a page address says about the view, nothing else."""
    kept = [(name, value) for name, value in params if name in EMBED_PARAMS and value]
    return f"/embed?{urlencode(kept)}" if kept else "/embed"


def iframe(src: str, *, title: str, width: int = EMBED_WIDTH, height: int = EMBED_HEIGHT) -> str:
    """The snippet another site pastes (static/js/share.js writes the same one)."""
    return (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
        f'title="{escape(title)}" loading="lazy"></iframe>'
    )


def embed_of_page(url: str, *, host: str) -> str:
    """The /embed path that shows what a page of this site shows; NotFound for a URL of
    another site, or a page that has no timeline to embed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != host:
        raise NotFound(f"{url!r} is not a page of this site")
    params = parse_qsl(parts.query)
    if parts.path in ("/", "/embed"):
        return embed_path(params)
    if parts.path.startswith("/events/") and parts.path.count("/") == 2:
        return embed_path([("event", parts.path.removeprefix("/events/"))])
    raise NotFound(f"{parts.path!r} has no timeline to embed")
