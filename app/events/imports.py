"""Importing events from a CSV or NDJSON export: events match by slug; a changed one gets one
new revision, an unchanged one is left alone (so importing an export twice changes nothing),
new slugs are created, and the places, series, actors and tags NDJSON names are created when
missing. All in the caller's transaction: a bad row raises, and the caller rolls back; a dry
run is the same import rolled back, so it says exactly what saving would do."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actors import service as actor_service
from app.actors.models import Actor
from app.actors.schemas import ActorCreate
from app.common import crud
from app.core.errors import DomainError
from app.events import reading
from app.events import service as event_service
from app.events.fields import WRITE_FIELDS
from app.events.import_files import ImportRefused, Row, RowError, decode, rows
from app.events.models import Event
from app.events.revisions import same, snapshot
from app.events.schemas import EventCreate, EventReplace
from app.media import service as media_service
from app.places import service as place_service
from app.places.models import Place
from app.places.schemas import PlaceCreate
from app.series import service as series_service
from app.series.models import Series
from app.series.schemas import SeriesCreate
from app.sources.models import Source
from app.tags import service as tag_service
from app.tags.models import Tag
from app.tags.schemas import TagCreate

__all__ = ["ImportRefused", "Report", "RowError", "run"]

#: Rows whose events are read in one go (a few queries for them all, not a few per row).
CHUNK = 200


@dataclass
class Outcome:
    slug: str
    action: str  # created, changed, unchanged
    fields: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What an import did (or, rolled back, would do)."""

    file_name: str
    outcomes: list[Outcome] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # "place geneva", …
    #: Images the file names that could not come with their events, and why.
    left_out: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    def summary(self) -> str:
        return (
            f"{self.file_name}: {self.count('created')} created, {self.count('changed')} "
            f"changed, {self.count('unchanged')} unchanged"
            + (f"; {len(self.related)} related records created" if self.related else "")
            + (
                f"; {len(self.left_out)} image{'s' if len(self.left_out) > 1 else ''} left out"
                if self.left_out
                else ""
            )
        )


def run(
    session: Session,
    *,
    file_name: str,
    data: bytes,
    author: str = "import",
    reason: str | None = None,
    start: Callable[[int], None] | None = None,
    advance: Callable[[int], None] | None = None,
) -> Report:
    """Import the file into the session's transaction (the caller commits, or rolls back for
    a dry run); a bad file or row raises ImportRefused and the caller must roll back.
    `start` hears how many rows there are, `advance` each one done (a progress bar)."""
    found = rows(file_name, decode(file_name, data))
    if start:
        start(len(found))
    report = Report(file_name)
    reason = reason or f"imported from {file_name}"
    in_file = {row.slug for row in found}
    waiting: list[tuple[Row, Outcome]] = []
    for first in range(0, len(found), CHUNK):
        chunk = found[first : first + CHUNK]
        known = _events(session, [row.slug for row in chunk])
        for row in chunk:
            _create_related(session, file_name, row, report)
            event = known.get(row.slug)
            outcome, later = _import_row(
                session, file_name, row, event, author, reason, in_file, report
            )
            report.outcomes.append(outcome)
            if later:
                waiting.append((row, outcome))
        # What is written stays in the transaction; the session need not hold it all.
        session.flush()
        session.expunge_all()
        if advance:
            advance(len(chunk))
    known = _events(session, [row.slug for row, _outcome in waiting])
    for row, outcome in waiting:  # links to events that came later in the file
        event = known.get(row.slug)
        second, _later = _import_row(
            session, file_name, row, event, author, reason, set(), Report(file_name)
        )
        if outcome.action == "unchanged":
            outcome.action = second.action
        outcome.fields = list(dict.fromkeys([*outcome.fields, *second.fields]))
        if outcome.action == "created":
            outcome.fields = []
    return report


def _events(session: Session, slugs: list[str]) -> dict[str, Event]:
    """The events of these slugs that exist, with all they name, in a few queries."""
    query = select(Event).where(Event.slug.in_(slugs)).options(*reading.load_options())
    return {event.slug: event for event in session.scalars(query)} if slugs else {}


def _import_row(
    session: Session,
    file_name: str,
    row: Row,
    event: Event | None,
    author: str,
    reason: str,
    in_file: set[str],
    report: Report,
) -> tuple[Outcome, bool]:
    """Create or update one event when it differs, and whether its links to events further
    down the file were left for later (kept as they are until those exist, so that once
    written they stand in the file's order)."""
    if event is not None and event.deleted_at is not None:
        raise row.error(file_name, "slug", f"the event {row.slug!r} was deleted: restore it first")
    current = snapshot(event) if event else {}
    wanted = {**{name: current[name] for name in WRITE_FIELDS if name in current}, **row.fields}
    _complete_sources(session, wanted, current)
    report.left_out += [f"{row.slug}: {note}" for note in _complete_media(session, wanted, current)]
    _follow_the_place(session, wanted, current)
    later = _links_to_come(session, wanted, in_file)
    if later:
        wanted["links"] = current.get("links") or []
    payload = {name: value for name, value in wanted.items() if value is not None}
    with _errors_named(file_name, row):
        # A file's cells are text ("2" for a round): read as a form is, not as API JSON.
        checked = EventReplace.model_validate(payload, strict=False)
        after = checked.model_dump(mode="json", exclude={"reason"})
        differs = [
            name for name in WRITE_FIELDS if not same(name, current.get(name), after.get(name))
        ]
        if event is None:
            create = EventCreate.model_validate({**payload, "slug": row.slug}, strict=False)
            event_service.create(session, data=create, author=author, reason=reason)
            action = "created"
        elif differs:
            event_service.update(
                session,
                slug=row.slug,
                data=checked,
                expected_version=None,
                author=author,
                reason=reason,
                event=event,
            )
            action = "changed"
        else:
            action = "unchanged"
    return Outcome(row.slug, action, differs if action == "changed" else []), bool(later)


def _complete_sources(session: Session, wanted: dict[str, Any], current: dict[str, Any]) -> None:
    """A CSV names sources by URL only: the event's own citation of that URL is kept as it
    is, a known source gives its publisher, and a new URL is published by its host."""
    bare = [s["url"] for s in wanted.get("sources") or [] if "publisher" not in s]
    if not bare:
        return
    cited: dict[str, list[dict[str, Any]]] = {}
    for source in current.get("sources") or []:  # one URL may be cited for several quotes
        cited.setdefault(source["url"], []).append(source)
    known = {
        source.url: source for source in session.scalars(select(Source).where(Source.url.in_(bare)))
    }
    completed = []
    for source in wanted["sources"]:
        url = source["url"]
        if "publisher" in source:
            completed.append(source)
        elif cited.get(url):
            completed.append(cited[url].pop(0))
        elif url in known:
            completed.append({"url": url, "publisher": known[url].publisher})
        else:
            completed.append({"url": url, "publisher": urlsplit(url).hostname or url})
    wanted["sources"] = completed


def _complete_media(session: Session, wanted: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """A CSV names images by URL only: each is the event's own, with the words it has with
    it. NDJSON brings the words too, but not the image: one not uploaded here is left out.
    Returns what was left out, and why."""
    if "media" not in wanted:
        return []
    own = {image["url"]: image for image in current.get("media") or []}
    here = media_service.existing(session, [image["url"] for image in wanted["media"] or []])
    kept, left_out = [], []
    for image in wanted["media"] or []:
        url = image["url"]
        if "alt" not in image and url not in own:
            left_out.append(
                f"image {url} (the file gives no alt text, and the event has no such image)"
            )
        elif "alt" not in image:
            kept.append(own[url])
        elif url not in here:
            left_out.append(f"image {url} (not uploaded to this site)")
        else:
            kept.append(image)
    wanted["media"] = kept
    return left_out


def _follow_the_place(session: Session, wanted: dict[str, Any], current: dict[str, Any]) -> None:
    """Answers show an event's time zone as its place's when it has none of its own, and
    exports write what answers show: such a zone is the place's, not one the event keeps."""
    zone, place = wanted.get("timezone"), wanted.get("place")
    if (
        zone
        and place
        and not current.get("timezone")
        and session.scalar(select(Place.timezone).where(Place.slug == place)) == zone
    ):
        wanted["timezone"] = None


def _links_to_come(
    session: Session, wanted: dict[str, Any], in_file: set[str]
) -> list[dict[str, Any]]:
    """The links to events not in the database yet but further down the file."""
    links = wanted.get("links") or []
    targets = {link.get("event") for link in links} & in_file
    if not targets:
        return []
    there = set(session.scalars(select(Event.slug).where(Event.slug.in_(targets))))
    return [link for link in links if link.get("event") in targets - there]


@contextmanager
def _errors_named(file_name: str, row: Row, field: str | None = None) -> Iterator[None]:
    """Turns what the schemas and services refuse into a RowError naming the line and the
    field: the CSV's column, or the NDJSON path (participants.0.actor); `field` when the
    refusal is about a related record the row names."""
    try:
        yield
    except ValidationError as exc:
        error = exc.errors()[0]
        where = field or _field(row, error["loc"])
        raise row.error(file_name, where, str(error["msg"])) from None
    except DomainError as exc:
        loc = exc.errors[0]["loc"] if exc.errors else []
        message = exc.errors[0]["msg"] if exc.errors else exc.detail
        raise row.error(file_name, field or _field(row, loc), str(message)) from None


def _field(row: Row, loc: Any) -> str | None:
    parts = [str(part) for part in loc or []]
    if not parts:
        return None
    return parts[0] if row.columnar else ".".join(parts)


# --- the related records NDJSON names --------------------------------------------------------


def _create_related(session: Session, file_name: str, row: Row, report: Report) -> None:
    """Create the places, series, tags and actors the row names and the site lacks, from
    what the export embeds of them; existing ones are left as they are."""
    makers: tuple[tuple[str, str, type[Any], Callable[[str, dict[str, Any]], BaseModel]], ...] = (
        ("place", "place", Place, _place),
        ("series", "series", Series, _series),
        ("tag", "tags", Tag, _tag),
    )
    services = {"place": place_service, "series": series_service, "tag": tag_service}
    for kind, event_field, model, make in makers:
        for slug, data in row.related.get(kind, {}).items():
            if crud.slug_taken(session, model, slug):
                continue
            with _errors_named(file_name, row, event_field):
                services[kind].create(session, data=make(slug, data))
            report.related.append(f"{kind} {slug}")
    actors = row.related.get("actor", {})
    for slug, data in actors.items():
        with _errors_named(file_name, row, "participants"):
            _ensure_actor(session, slug, data, actors, report)


def _place(slug: str, data: dict[str, Any]) -> BaseModel:
    keys = ("name", "country", "latitude", "longitude", "timezone")
    return PlaceCreate.model_validate({"slug": slug, **{k: data.get(k) for k in keys}})


def _series(slug: str, data: dict[str, Any]) -> BaseModel:
    return SeriesCreate.model_validate({"slug": slug, "title": data.get("title")})


def _tag(slug: str, data: dict[str, Any]) -> BaseModel:
    return TagCreate.model_validate({"slug": slug, "name": data.get("name")})


def _ensure_actor(
    session: Session, slug: str, data: dict[str, Any], named: dict[str, Any], report: Report
) -> None:
    """Create a missing actor, and first the side it is affiliated to. An affiliation the
    file names only by name and slug becomes a state: people speak for their country."""
    if crud.slug_taken(session, Actor, slug):
        return
    affiliation = data.get("affiliation")
    if isinstance(affiliation, dict) and isinstance(affiliation.get("slug"), str):
        side = affiliation["slug"]
        if side != slug:
            _ensure_actor(
                session, side, named.get(side, {"kind": "state", **affiliation}), named, report
            )
    actor = ActorCreate.model_validate(
        {
            "slug": slug,
            "name": data.get("name"),
            "kind": data.get("kind"),
            "title": data.get("title"),
            "affiliation": affiliation.get("slug") if isinstance(affiliation, dict) else None,
        }
    )
    actor_service.create(session, data=actor)
    report.related.append(f"actor {slug}")
