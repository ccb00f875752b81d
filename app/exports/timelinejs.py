"""The TimelineJS3 export: Knight Lab's JSON format (a title slide and one slide per event), so
the timeline opens in TimelineJS as it is."""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from typing import Any, Literal

from app.events import reading
from app.events.facet_rows import SIDE_ROLES
from app.events.models import Event
from app.events.schemas import EventRead
from app.exports.site import Site

Group = Literal["kind", "side", "none"]
GROUPS: tuple[str, ...] = ("kind", "side", "none")


def _date(day: dt.date, time: dt.time | None, precision: str) -> dict[str, int]:
    """A TimelineJS date, as precise as the event's date is known and no more."""
    value = {"year": day.year}
    if precision in ("month", "day"):
        value["month"] = day.month
    if precision == "day":
        value["day"] = day.day
        if time is not None:
            value |= {"hour": time.hour, "minute": time.minute}
    return value


def _side(event: Event) -> str:
    """The side the event's parties speak for, as the timeline's side lanes name it."""
    sides = {
        (p.actor.affiliation or p.actor).name for p in event.participations if p.role in SIDE_ROLES
    }
    if not sides:
        return "No side named"
    return sides.pop() if len(sides) == 1 else "Several sides"


def _media(read: EventRead, site: Site) -> dict[str, str] | None:
    """The event's first image, when events carry media (they may not yet)."""
    media = getattr(read, "media", None) or []
    if not media:
        return None
    first = media[0] if isinstance(media[0], dict) else media[0].model_dump()
    url = first["url"]
    return {
        "url": site.url(url) if url.startswith("/") else url,
        "alt": first.get("alt") or "",
        "caption": escape(first.get("caption") or ""),
        "credit": escape(first.get("credit") or ""),
    }


def slide(event: Event, site: Site, group: Group, today: dt.date) -> dict[str, Any]:
    """One event as a TimelineJS slide."""
    read = reading.to_read(event, today)
    text = f"<p>{escape(read.summary)}</p>" if read.summary else ""
    page = site.url(f"/events/{read.slug}")
    text += f'<p><a href="{escape(page)}">Sources and history</a></p>'
    out: dict[str, Any] = {
        "unique_id": read.slug,
        "start_date": _date(read.start_date, read.start_time, read.date_precision),
        "text": {"headline": escape(read.title), "text": text},
    }
    if read.end_date and (read.end_date > read.start_date or read.end_time):
        out["end_date"] = _date(read.end_date, read.end_time, read.date_precision)
    elif read.end_time and read.start_time:
        out["end_date"] = _date(read.start_date, read.end_time, read.date_precision)
    if read.date_approximate or read.display_status != "held":
        status = "" if read.display_status == "held" else f" · {read.display_status}"
        out["display_date"] = read.date_label + status
    if group == "kind":
        out["group"] = read.kind.capitalize()
    elif group == "side":
        out["group"] = _side(event)
    media = _media(read, site)
    if media:
        out["media"] = media
    return out


def head(site: Site) -> bytes:
    """The opening of the document: the title slide, and the start of the events."""
    title = {
        "text": {
            "headline": escape(site.title),
            "text": "<p>A sourced timeline: every event links its sources and its history.</p>",
        }
    }
    return b'{"title":' + _dumps(title) + b',"events":['


TAIL = b"]}\n"


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Slides:
    """Renders batches of events as the items of `events`, commas between them."""

    def __init__(self, site: Site, group: Group) -> None:
        self.site = site
        self.group = group
        self.first = True

    def __call__(self, events: list[Event], today: dt.date) -> bytes:
        parts = [_dumps(slide(event, self.site, self.group, today)) for event in events]
        if not parts:
            return b""
        lead = b"" if self.first else b","
        self.first = False
        return lead + b",".join(parts)
