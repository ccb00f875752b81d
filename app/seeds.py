"""Loading the seed timeline from `seeds/*.toml`: all of it or none of it, twice is once."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models  # noqa: F401  (every table, and the listeners every write goes through)
from app.actors import service as actor_service
from app.actors.models import Actor
from app.actors.schemas import ActorCreate, ActorUpdate
from app.core.errors import DomainError
from app.events import service as event_service
from app.events.models import Event
from app.events.schemas import EventCreate
from app.places import service as place_service
from app.places.models import Place
from app.places.schemas import PlaceCreate
from app.series import service as series_service
from app.series.models import Series
from app.series.schemas import SeriesCreate
from app.sources.schemas import SourceCreate
from app.tags import service as tag_service
from app.tags.models import Tag
from app.tags.schemas import TagCreate

M = TypeVar("M", bound=BaseModel)

SEED_AUTHOR = "seed"
# The order records are loaded in: each file only names records of the files before it.
FILES = ("places", "actors", "series", "tags", "sources", "events")


class SeedError(Exception):
    """A seed record that cannot be loaded; the message names the file and the record."""


@dataclass
class SeedReport:
    created: dict[str, int]
    skipped: dict[str, int]

    def __str__(self) -> str:
        parts = [
            f"{kind}: {self.created[kind]} new, {self.skipped[kind]} already there"
            for kind in FILES
            if kind != "sources" and (self.created[kind] or self.skipped[kind])
        ]
        return "; ".join(parts) or "nothing to load"


@dataclass
class _Record:
    file: Path
    index: int
    key: str
    data: dict[str, Any]

    def where(self) -> str:
        return f"{self.file.name}, record {self.index + 1} ({self.key!r})"


def _read(directory: Path, kind: str) -> list[_Record]:
    path = directory / f"{kind}.toml"
    if not path.exists():
        return []
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SeedError(f"{path.name}: not valid TOML: {exc}") from None
    rows = document.get(kind, [])
    if not isinstance(rows, list):
        raise SeedError(f"{path.name}: expected [[{kind}]] tables")
    records: list[_Record] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        key = str(row.get("key") or row.get("slug") or f"#{index + 1}")
        record = _Record(path, index, key, dict(row))
        if key in seen:
            raise SeedError(
                f"{record.where()}: duplicate {'key' if kind == 'sources' else 'slug'} {key!r} "
                f"(first used by record {seen[key] + 1})"
            )
        seen[key] = index
        records.append(record)
    return records


def _validate(schema: type[M], record: _Record) -> M:
    try:
        return schema.model_validate(record.data, strict=False)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'record'}: "
            f"{str(error['msg']).removeprefix('Value error, ')}"
            for error in exc.errors()
        )
        raise SeedError(f"{record.where()}: {problems}") from None


def _existing(session: Session, model: type[Any], slugs: list[str]) -> set[str]:
    if not slugs:
        return set()
    return set(session.scalars(select(model.slug).where(model.slug.in_(slugs))))


def load(session: Session, directory: Path) -> SeedReport:
    """Load every seed file in `directory`; records whose slug exists are left as they are.

    Everything is checked before the first write and the caller's transaction is rolled back
    on any error, so a bad file loads nothing.
    """
    if not directory.is_dir():
        raise SeedError(f"{directory}: no such folder")
    loader = _Loader(session, {kind: _read(directory, kind) for kind in FILES})
    loader.places()
    loader.actors()
    loader.series_and_tags()
    loader.events(loader.sources())
    return SeedReport(created=loader.created, skipped=loader.skipped)


def _run(record: _Record, action: Callable[[], object]) -> None:
    """Do one write; a refusal names the seed record it came from."""
    try:
        action()
    except DomainError as exc:
        messages = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors]
        raise SeedError(f"{record.where()}: {'; '.join(messages) or exc.detail}") from None


class _Loader:
    """One load: the records read, and how many of each kind were made or already there."""

    def __init__(self, session: Session, records: dict[str, list[_Record]]) -> None:
        self.session = session
        self.records = records
        self.created = dict.fromkeys(FILES, 0)
        self.skipped = dict.fromkeys(FILES, 0)

    def places(self) -> None:
        places = [(r, _validate(PlaceCreate, r)) for r in self.records["places"]]
        have = _existing(self.session, Place, [p.slug for _, p in places if p.slug])
        for record, place in places:
            if place.slug in have:
                self.skipped["places"] += 1
                continue
            _run(record, partial(place_service.create, self.session, data=place))
            self.created["places"] += 1

    def actors(self) -> None:
        """Actors may name an affiliation further down the file: create them all, then
        affiliate."""
        actors = [(r, _validate(ActorCreate, r)) for r in self.records["actors"]]
        have = _existing(self.session, Actor, [a.slug for _, a in actors if a.slug])
        new_actors = [(r, a) for r, a in actors if a.slug not in have]
        self.skipped["actors"] = len(actors) - len(new_actors)
        for record, actor in new_actors:
            bare = actor.model_copy(update={"affiliation": None})
            _run(record, partial(actor_service.create, self.session, data=bare))
            self.created["actors"] += 1
        for record, actor in new_actors:
            if actor.affiliation:
                change = ActorUpdate(affiliation=actor.affiliation)
                update = partial(
                    actor_service.update, self.session, slug=str(actor.slug), data=change
                )
                _run(record, update)

    def series_and_tags(self) -> None:
        kinds: tuple[tuple[str, Any, Any, Callable[..., object]], ...] = (
            ("series", Series, SeriesCreate, series_service.create),
            ("tags", Tag, TagCreate, tag_service.create),
        )
        for kind, model, schema, create in kinds:
            rows = [(r, _validate(schema, r)) for r in self.records[kind]]
            slugs = [str(s) for _, row in rows if (s := getattr(row, "slug", None))]
            have = _existing(self.session, model, slugs)
            for record, row in rows:
                if getattr(row, "slug", None) in have:
                    self.skipped[kind] += 1
                    continue
                _run(record, partial(create, self.session, data=row))
                self.created[kind] += 1

    def sources(self) -> dict[str, dict[str, Any]]:
        """The sources by key, checked; events cite them by key."""
        sources: dict[str, dict[str, Any]] = {}
        for record in self.records["sources"]:
            data = {k: v for k, v in record.data.items() if k != "key"}
            sources[record.key] = _validate(
                SourceCreate, _Record(record.file, record.index, record.key, data)
            ).model_dump()
        return sources

    def events(self, sources: dict[str, dict[str, Any]]) -> None:
        events = [(record, _event(record, sources)) for record in self.records["events"]]
        have = _existing(self.session, Event, [e.slug for _, e in events if e.slug])
        pending = {str(e.slug): (r, e) for r, e in events if e.slug not in have}
        self.skipped["events"] = len(events) - len(pending)
        # An event is created after the events it links to, so every link has its target.
        done: set[str] = set()
        while pending:
            ready = [
                slug
                for slug, (_, event) in pending.items()
                if all(link.event in done or link.event not in pending for link in event.links)
            ]
            if not ready:
                record, _ = next(iter(pending.values()))
                raise SeedError(f"{record.where()}: its links go round in a circle")
            for slug in ready:
                record, event = pending.pop(slug)
                create = partial(
                    event_service.create,
                    self.session,
                    data=event,
                    author=SEED_AUTHOR,
                    reason="loaded from seeds",
                )
                _run(record, create)
                done.add(slug)
                self.created["events"] += 1


def _event(record: _Record, sources: dict[str, dict[str, Any]]) -> EventCreate:
    """An event record with the sources it cites by key written out in full."""
    data = dict(record.data)
    citations = []
    for position, citation in enumerate(data.pop("sources", [])):
        citation = dict(citation)
        key = citation.pop("source", None)
        if key not in sources:
            raise SeedError(
                f"{record.where()}: sources.{position}.source: there is no source {key!r} "
                "in sources.toml"
            )
        citations.append({**sources[key], **citation})
    data["sources"] = citations
    return _validate(EventCreate, _Record(record.file, record.index, record.key, data))
