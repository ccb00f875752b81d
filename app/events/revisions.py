"""Revisions: the event in write form as a revision keeps it (its snapshot), the history of
an event, and what changed between two snapshots, field by field, as a person reads it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import EventNotFound, NotFound
from app.events.fields import FIELDS, WRITE_FIELDS
from app.events.models import Event, Revision


def _sources(event: Event) -> list[dict[str, Any]]:
    return [
        {
            "url": c.source.url,
            "publisher": c.source.publisher,
            "title": c.source.title,
            "published_on": c.source.published_on.isoformat() if c.source.published_on else None,
            "language": c.source.language,
            "quote": c.quote,
            "original_quote": c.original_quote,
            "original_language": c.original_language,
            "speaker": c.speaker.slug if c.speaker else None,
        }
        for c in event.citations
    ]


#: How each field that names other records is kept: by slug (sources by URL).
SNAPSHOTS: dict[str, Callable[[Event], Any]] = {
    "place": lambda event: event.place.slug if event.place else None,
    "series": lambda event: event.series.slug if event.series else None,
    "participants": lambda event: [
        {"actor": p.actor.slug, "role": p.role} for p in event.participations
    ],
    "sources": _sources,
    "media": lambda event: [
        {"url": use.media.url, "alt": use.alt, "credit": use.credit, "caption": use.caption}
        for use in event.media
    ],
    # Topics are a set: kept in the order the event shows them, whatever order a write gave.
    "tags": lambda event: [tag.slug for tag in sorted(event.tags, key=lambda t: (t.name, t.slug))],
    "links": lambda event: [
        {"kind": link.kind, "event": link.to_event.slug} for link in event.links_out
    ],
}


def _as_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.time) else value


def snapshot(event: Event) -> dict[str, Any]:
    """The event in write form (related records by slug), as JSON: what a revision keeps."""
    data: dict[str, Any] = {"slug": event.slug}
    for name in WRITE_FIELDS:
        take = SNAPSHOTS.get(name)
        data[name] = take(event) if take else _as_json(getattr(event, name))
    data["deleted"] = event.deleted_at is not None
    return data


def list_revisions(session: Session, *, slug: str) -> list[Revision]:
    event_id = session.scalar(select(Event.id).where(Event.slug == slug))
    if event_id is None:
        raise EventNotFound(f"there is no event {slug!r}")
    return list(
        session.scalars(
            select(Revision).where(Revision.event_id == event_id).order_by(Revision.version)
        )
    )


def get_revision(session: Session, *, slug: str, version: int) -> Revision:
    revision = session.scalar(
        select(Revision)
        .join(Event, Event.id == Revision.event_id)
        .where(Event.slug == slug, Revision.version == version)
    )
    if revision is None:
        if session.scalar(select(Event.id).where(Event.slug == slug)) is None:
            raise EventNotFound(f"there is no event {slug!r}")
        raise NotFound(f"the event {slug!r} has no version {version}")
    return revision


# --- what changed ---------------------------------------------------------------------------

#: What the history calls each field of a snapshot.
LABELS = {field.name: field.label for field in FIELDS if field.writable} | {"deleted": "Deleted"}


@dataclass
class FieldChange:
    field: str
    label: str
    before: list[str]
    after: list[str]
    removed: list[str]
    added: list[str]


def _source_line(source: Mapping[str, Any]) -> str:
    line = f"{source.get('publisher') or ''}: {source.get('url')}"
    if source.get("published_on"):
        line += f" ({source['published_on']})"
    if source.get("quote"):
        line += f" — “{source['quote']}”"
    if source.get("original_quote"):
        line += f" — ({source.get('original_language')}) “{source['original_quote']}”"
    if source.get("speaker"):
        line += f" — {source['speaker']}"
    return line


def _media_line(item: Mapping[str, Any]) -> str:
    line = f"{item.get('url')} — alt: “{item.get('alt')}”"
    if item.get("caption"):
        line += f" — {item['caption']}"
    if item.get("credit"):
        line += f" ({item['credit']})"
    return line


#: How each list in a snapshot reads, one line per item.
LINES: dict[str, Callable[[Any], list[str]]] = {
    "participants": lambda value: [f"{p['actor']} ({p['role']})" for p in value],
    "sources": lambda value: [_source_line(source) for source in value],
    "links": lambda value: [
        f"{link['kind'].replace('_', ' ')} → {link['event']}" for link in value
    ],
    "tags": lambda value: [str(tag) for tag in value],
    "media": lambda value: [_media_line(item) for item in value],
}


def lines(name: str, value: Any) -> list[str]:
    """A snapshot value as lines a person reads."""
    if value is None or value == "" or value == []:
        return []
    if name in LINES:
        return LINES[name](value)
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    return [str(value)]


#: Lists whose order says nothing (an event's topics): the same items are the same value.
UNORDERED = frozenset({"tags"})


def same(name: str, old: Any, new: Any) -> bool:
    """Whether a field of two snapshots says the same: empty is empty (nothing, "", [] and
    "no"), and an unordered list is its items."""
    if old in (None, "", [], False) and new in (None, "", [], False):
        return True
    if name in UNORDERED and isinstance(old, list) and isinstance(new, list):
        return sorted(map(str, old)) == sorted(map(str, new))
    return bool(old == new)


def changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], fields: Sequence[str] | None = None
) -> list[FieldChange]:
    """Field by field, what differs between two write-form snapshots."""
    result = []
    for name in fields or LABELS:
        old = (before or {}).get(name)
        new = after.get(name)
        if same(name, old, new):
            continue
        old_lines, new_lines = lines(name, old), lines(name, new)
        result.append(
            FieldChange(
                field=name,
                label=LABELS.get(name, name),
                before=old_lines,
                after=new_lines,
                removed=[line for line in old_lines if line not in new_lines],
                added=[line for line in new_lines if line not in old_lines],
            )
        )
    return result
