"""Names as editors type them: the record a name means, the names a form shows, and the
records an editor asks to create, made only once everything else checks out.

Related records may be named by slug or by name (or alias, case aside); a name nobody has
yet becomes a new place, actor or series only when the editor ticks "create new" next to it
(tags are created freely). A name two records share is never guessed at.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from app.actors import service as actor_service
from app.actors.models import Actor
from app.actors.schemas import ActorCreate
from app.common.slugs import slugify
from app.events.fields import PLAIN_FIELDS, REQUIRED
from app.events.forms import CHECKBOXES, EventForm, is_empty
from app.events.models import Event
from app.places import service as place_service
from app.places.models import Place
from app.places.schemas import PlaceCreate
from app.series import service as series_service
from app.series.models import Series
from app.series.schemas import SeriesCreate
from app.tags import service as tag_service
from app.tags.models import Tag
from app.tags.schemas import TagCreate


def display_names(session: Session, snapshot: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Slug → name for the records an event names, where the name picks out one record.

    The form shows names, as editors type them; a name two records share stays a slug, so
    saving the form unchanged never moves the event to the other record."""
    wanted: dict[str, set[str]] = {
        "actor": {p["actor"] for p in snapshot.get("participants") or []}
        | {s["speaker"] for s in snapshot.get("sources") or [] if s.get("speaker")},
        "place": {snapshot["place"]} if snapshot.get("place") else set(),
        "series": {snapshot["series"]} if snapshot.get("series") else set(),
        "tag": set(snapshot.get("tags") or []),
    }
    models: dict[str, tuple[Any, Any]] = {
        "actor": (Actor, Actor.name),
        "place": (Place, Place.name),
        "series": (Series, Series.title),
        "tag": (Tag, Tag.name),
    }
    result: dict[str, dict[str, str]] = {}
    for kind, slugs in wanted.items():
        model, column = models[kind]
        names: dict[str, Any] = dict(
            session.execute(select(model.slug, column).where(model.slug.in_(slugs))).all()
        )
        lowered = {str(n).lower() for n in names.values()}
        counts: dict[str, int] = {}
        for (name,) in session.execute(select(column).where(func.lower(column).in_(lowered))):
            counts[str(name).lower()] = counts.get(str(name).lower(), 0) + 1
        result[kind] = {
            slug: str(name) for slug, name in names.items() if counts.get(str(name).lower()) == 1
        }
    return result


class Ambiguous(Exception):
    """A name several records share; `slugs` are theirs."""

    def __init__(self, slugs: list[str]) -> None:
        super().__init__(", ".join(slugs))
        self.slugs = slugs


def find(session: Session, model: Any, value: str, *names: str) -> str | None:
    """The slug of the record with this slug, or this name (or alias), case aside.

    A name two records share is not guessed at: Ambiguous lists their slugs."""
    value = value.strip()
    if not value:
        return None
    slug = session.scalar(select(model.slug).where(model.slug == value))
    if slug:
        return str(slug)
    lowered = value.lower()
    for name in names:
        column = getattr(model, name)
        slugs = list(
            session.scalars(
                select(model.slug).where(func.lower(column) == lowered).order_by(model.id).limit(5)
            )
        )
        if len(slugs) > 1:
            raise Ambiguous([str(s) for s in slugs])
        if slugs:
            return str(slugs[0])
    if hasattr(model, "aliases"):
        # Aliases are a short JSON list; the few records with a match are checked in Python.
        like = f"%{lowered}%"
        for row in session.scalars(
            select(model).where(func.lower(cast(model.aliases, String)).like(like)).limit(20)
        ):
            if any(alias.lower() == lowered for alias in row.aliases):
                return str(row.slug)
    return None


@dataclass
class Pending:
    """Records the editor asked to create; made only once everything else checks out."""

    place: str | None = None
    series: str | None = None
    actors: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Prepared:
    """The payload for EventCreate/EventReplace (slugs as placeholders for new records), what
    to create first, and for each repeated group the form row each payload item came from."""

    payload: dict[str, Any] = field(default_factory=dict)
    pending: Pending = field(default_factory=Pending)
    rows: dict[str, list[int]] = field(default_factory=dict)


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


class _Resolver:
    """Turns one form into a Prepared write; what it cannot resolve goes into form.errors."""

    def __init__(self, session: Session, form: EventForm) -> None:
        self.session = session
        self.form = form
        self.prepared = Prepared()
        self.new_actor_names: dict[str, str] = {}

    def find(self, input_name: str, model: Any, value: str, *names: str) -> str | None:
        """The slug, None if nothing matches, or "" (with the error set) if several do."""
        try:
            return find(self.session, model, value, *names)
        except Ambiguous as exc:
            self.form.errors.setdefault(
                input_name,
                f"More than one is called “{value.strip()}”. Type the one you mean by its "
                f"short name: {', '.join(exc.slugs)}.",
            )
            return ""

    def item_from_row(self, group: str, index: int) -> None:
        self.prepared.rows.setdefault(group, []).append(index)

    def plain(self) -> None:
        payload = self.prepared.payload
        for spec in PLAIN_FIELDS:
            if spec.name in CHECKBOXES:
                payload[spec.name] = self.form.checked(spec.name)
                continue
            raw = self.form.value(spec.name).strip()
            if raw or spec.widget == "textarea":
                payload[spec.name] = raw
            elif spec.default is REQUIRED:
                payload[spec.name] = ""  # so the schema names it as missing

    def place_and_series(self) -> None:
        for kind, model, name_column in (("place", Place, "name"), ("series", Series, "title")):
            typed = self.form.value(kind).strip()
            if not typed:
                continue
            slug = self.find(kind, model, typed, name_column)
            if slug is None and self.form.checked(f"{kind}_create"):
                setattr(self.prepared.pending, kind, typed)
                slug = slugify(typed)
            if slug is None:
                self.form.errors[kind] = (
                    f"There is no {kind} called “{typed}”. Pick one from the list, "
                    f"or tick “Create a new {kind}” to add it."
                )
            self.prepared.payload[kind] = slug

    def participants(self) -> None:
        participants = []
        for index, row in enumerate(self.form.rows["participants"]):
            if is_empty("participants", row):
                continue
            prefix = f"participants-{index}"
            name = (row.get("actor") or "").strip()
            slug = self.find(f"{prefix}-actor", Actor, name, "name")
            if slug is None and row.get("create") and name:
                slug = self.new_actor(prefix, name, row)
            if slug is None:
                self.form.errors[f"{prefix}-actor"] = (
                    "Who took part? Pick a name from the list."
                    if not name
                    else f"There is no actor called “{name}”. Pick one from the list, "
                    "or tick “Create a new actor” to add them."
                )
            participants.append({"actor": slug or "", "role": row.get("role") or "party"})
            self.item_from_row("participants", index)
        self.prepared.payload["participants"] = participants

    def new_actor(self, prefix: str, name: str, row: Mapping[str, str]) -> str:
        affiliation = _text(row.get("affiliation"))
        affiliation_slug = None
        if affiliation:
            affiliation_slug = self.find(f"{prefix}-affiliation", Actor, affiliation, "name")
            if affiliation_slug is None:
                self.form.errors[f"{prefix}-affiliation"] = (
                    f"There is no actor called “{affiliation}” to be affiliated to."
                )
        slug = slugify(name)
        kind = row.get("kind") or "person"
        self.prepared.pending.actors[slug] = (name, kind, affiliation_slug)
        self.new_actor_names[name.lower()] = slug
        return slug

    def sources(self) -> None:
        sources = []
        for index, row in enumerate(self.form.rows["sources"]):
            if is_empty("sources", row):
                continue
            source: dict[str, Any] = {
                "url": (row.get("url") or "").strip(),
                "publisher": (row.get("publisher") or "").strip(),
            }
            for key in ("title", "published_on", "quote", "original_quote", "original_language"):
                if _text(row.get(key)):
                    source[key] = row[key].strip()
            speaker = _text(row.get("speaker"))
            if speaker:
                source["speaker"] = self.speaker(f"sources-{index}-speaker", speaker)
            sources.append(source)
            self.item_from_row("sources", index)
        self.prepared.payload["sources"] = sources

    def speaker(self, input_name: str, speaker: str) -> str | None:
        slug = self.find(input_name, Actor, speaker, "name")
        if slug is None:
            slug = self.new_actor_names.get(speaker.lower())
        if slug is None:
            self.form.errors[input_name] = (
                f"There is no actor called “{speaker}”. Add them as a participant "
                "(with “Create a new actor”) or pick a name from the list."
            )
        return slug

    def tags(self) -> None:
        tags = []
        for name in [t.strip() for t in self.form.value("tags").split(",")]:
            if not name:
                continue
            slug = self.find("tags", Tag, name, "name")
            if slug is None:
                slug = slugify(name)
                self.prepared.pending.tags[slug] = name
            tags.append(slug)
        self.prepared.payload["tags"] = tags

    def links(self) -> None:
        links = []
        for index, row in enumerate(self.form.rows["links"]):
            if is_empty("links", row):
                continue
            target = (row.get("event") or "").strip()
            slug = self.find(f"links-{index}-event", Event, target, "title")
            if slug is None:
                self.form.errors[f"links-{index}-event"] = (
                    f"There is no event “{target}”. Pick one from the list."
                    if target
                    else "Which event? Pick one from the list."
                )
            links.append({"kind": row.get("kind") or "related", "event": slug or ""})
            self.item_from_row("links", index)
        self.prepared.payload["links"] = links

    def media(self) -> None:
        """Images already uploaded, in the form's order, with the words typed beside them."""
        images = []
        for index, row in enumerate(self.form.rows["media"]):
            if is_empty("media", row):
                continue
            image: dict[str, Any] = {"url": row.get("url") or "", "alt": row.get("alt") or ""}
            for key in ("credit", "caption"):
                if _text(row.get(key)):
                    image[key] = row[key].strip()
            images.append(image)
            self.item_from_row("media", index)
        self.prepared.payload["media"] = images


def prepare(session: Session, form: EventForm) -> Prepared:
    """Resolve names to slugs and collect what to create; errors go into `form.errors`."""
    resolver = _Resolver(session, form)
    resolver.plain()
    resolver.place_and_series()
    resolver.participants()
    resolver.sources()
    resolver.tags()
    resolver.links()
    resolver.media()
    return resolver.prepared


def create_pending(session: Session, prepared: Prepared) -> dict[str, Any]:
    """Make the records the editor asked for, and the payload with their real slugs."""
    payload = dict(prepared.payload)
    pending = prepared.pending
    if pending.place is not None:
        payload["place"] = place_service.create(session, data=PlaceCreate(name=pending.place)).slug
    if pending.series is not None:
        payload["series"] = series_service.create(
            session, data=SeriesCreate(title=pending.series)
        ).slug
    real: dict[str, str] = {}
    for placeholder, (name, kind, affiliation) in pending.actors.items():
        actor = actor_service.create(
            session,
            data=ActorCreate.model_validate(
                {"name": name, "kind": kind, "affiliation": affiliation}
            ),
        )
        real[placeholder] = actor.slug
    payload["participants"] = [
        {**p, "actor": real.get(p["actor"], p["actor"])} for p in payload["participants"]
    ]
    payload["sources"] = [
        {**s, "speaker": real.get(s["speaker"], s["speaker"])} if s.get("speaker") else s
        for s in payload["sources"]
    ]
    tags = {}
    for placeholder, name in pending.tags.items():
        tags[placeholder] = tag_service.create(session, data=TagCreate(name=name)).slug
    payload["tags"] = [tags.get(t, t) for t in payload["tags"]]
    return payload
