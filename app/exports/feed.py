"""The Atom feed of changes (RFC 4287): the latest revisions, who made them, why, and what
they changed, each linking the event's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from xml.etree import ElementTree as ET

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from app.events import listing
from app.events.listing import EventFilters
from app.events.models import Event, Revision
from app.events.revisions import FieldChange, changes
from app.exports.site import Site, stable_id

ATOM = "http://www.w3.org/2005/Atom"
#: Revisions in a feed unless asked for fewer or more.
DEFAULT_ENTRIES = 50
MAX_ENTRIES = 500

#: What an entry's title says each action did.
VERBS = {"create": "Added", "update": "Edited", "delete": "Deleted", "restore": "Restored"}


@dataclass
class Change:
    """One revision with the event's slug and the snapshot before it (None for the first)."""

    slug: str
    revision: Revision
    before: dict[str, Any] | None


def latest(session: Session, *, filters: EventFilters, limit: int) -> list[Change]:
    """The newest revisions of the events the filters match (deleted ones included: their
    deletion is news), newest first, each with the snapshot it changed."""
    query = (
        select(Revision, Event.slug)
        .join(Event, Event.id == Revision.event_id)
        .order_by(Revision.at.desc(), Revision.id.desc())
        .limit(limit)
    )
    if filters != EventFilters():
        matching = listing.filtered(replace(filters, include_deleted=True))
        query = query.where(Revision.event_id.in_(matching.with_only_columns(Event.id)))
    rows = session.execute(query).all()
    wanted = [(row[0].event_id, row[0].version - 1) for row in rows if row[0].version > 1]
    earlier: dict[tuple[int, int], dict[str, Any]] = {}
    if wanted:
        for event_id, version, snapshot in session.execute(
            select(Revision.event_id, Revision.version, Revision.snapshot).where(
                tuple_(Revision.event_id, Revision.version).in_(wanted)
            )
        ):
            earlier[(event_id, version)] = snapshot
    return [
        Change(
            slug=slug,
            revision=revision,
            before=earlier.get((revision.event_id, revision.version - 1)),
        )
        for revision, slug in rows
    ]


def _stamp(moment: dt.datetime) -> str:
    """RFC 3339, in UTC."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _summary(change: Change, changed: Sequence[FieldChange]) -> str:
    revision = change.revision
    lines = [f"Why: {revision.reason}"] if revision.reason else []
    if revision.action == "create":
        lines.append("New event.")
    for field in changed:
        if field.field == "deleted":
            continue
        before = "; ".join(field.before) or "(empty)"
        after = "; ".join(field.after) or "(empty)"
        lines.append(f"{field.label}: {before} → {after}")
    return "\n".join(lines) or VERBS[revision.action] + "."


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _entry(feed: ET.Element, change: Change, site: Site) -> None:
    revision = change.revision
    history = site.url(f"/events/{change.slug}/history")
    entry = _add(feed, "entry")
    title = revision.snapshot.get("title") or change.slug
    _add(entry, "title", f"{VERBS[revision.action]}: {title}")
    # The same revision keeps the same id in every fetch, under every host name.
    _add(
        entry, "id", f"urn:uuid:{stable_id('revision', change.slug, revision.at, revision.version)}"
    )
    _add(entry, "updated", _stamp(revision.at))
    author = _add(entry, "author")
    _add(author, "name", revision.author)
    _add(entry, "link", rel="alternate", type="text/html", href=history)
    _add(entry, "category", term=revision.action)
    changed = changes(change.before, revision.snapshot) if revision.action != "create" else []
    _add(entry, "summary", _summary(change, changed), type="text")


def begun(session: Session) -> dt.datetime:
    """When the site's first change was made: what names it in its feeds' ids, wherever it is
    reached and wherever it moves (a dump restores its revisions with their times)."""
    first = session.scalar(select(Revision.at).order_by(Revision.id).limit(1))
    return first or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def document(
    changes_: list[Change], site: Site, *, self_url: str, query: str, begun: dt.datetime
) -> bytes:
    """The feed as bytes: its self link is the URL it was asked for, and its id is made from
    its filters (`query`) and the site's first change, so a filtered feed is a feed of its own
    and no host name changes which feed it is."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", f"urn:uuid:{stable_id('feed', query, begun)}")
    _add(feed, "title", f"{site.title}: changes")
    _add(feed, "subtitle", "Every change to the timeline: who made it, when, why and what changed.")
    newest = changes_[0].revision.at if changes_ else dt.datetime.now(dt.UTC)
    _add(feed, "updated", _stamp(newest))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=site.url("/"))
    _add(feed, "generator", "Parley")
    for change in changes_:
        _entry(feed, change, site)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
