"""The event form: what a browser sends, as typed, and the write schema it becomes.

Values stay strings exactly as typed, so a form sent back with errors shows everything again.
Related records may be named by slug or by name; a name nobody has yet becomes a new place,
actor or series only when the editor ticks "create new" next to it (tags are created freely).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actors import service as actor_service
from app.actors.models import Actor
from app.actors.schemas import ActorCreate
from app.errors import DomainError
from app.events import service as event_service
from app.events.models import Event
from app.places import service as place_service
from app.places.models import Place
from app.places.schemas import PlaceCreate
from app.series import service as series_service
from app.series.models import Series
from app.series.schemas import SeriesCreate
from app.slugs import slugify
from app.tags import service as tag_service
from app.tags.models import Tag
from app.tags.schemas import TagCreate

CHECKBOXES = ("date_approximate", "place_create", "series_create")
#: The form's single-valued inputs: the event's plain fields (the checkbox aside), the place
#: and series by name, the tags as a list, and what the form itself carries.
SCALARS = (
    *(name for name in event_service.SCALAR_FIELDS if name not in CHECKBOXES),
    "place",
    "series",
    "tags",
    "reason",
    "version",
    "suggestion",
)
#: Each repeated group and the fields of one row.
GROUPS: dict[str, tuple[str, ...]] = {
    "participants": ("actor", "role", "create", "kind", "affiliation"),
    "sources": ("url", "publisher", "title", "published_on", "quote", "speaker"),
    "links": ("kind", "event"),
}
#: Fields of a row that say nothing by themselves (a row with only these is empty).
DEFAULTED = {"role", "create", "kind"}
MAX_ROWS = 200

_ROW_NAME = re.compile(r"^(participants|sources|links)-(\d{1,3})-([a-z_]+)$")


@dataclass
class EventForm:
    """The form as typed, and what is wrong with it, by input name."""

    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return str(self.values.get(name) or "")

    def checked(self, name: str) -> bool:
        return bool(self.values.get(name))

    @property
    def error_list(self) -> list[tuple[str, str, str]]:
        """(input name, what it is called, message), for the summary above the form."""
        return [(name, field_label(name), message) for name, message in self.errors.items()]


def blank(rows: Mapping[str, int] | None = None) -> EventForm:
    """A new, empty form (with sensible defaults and one empty row of each group)."""
    form = EventForm(
        values={"kind": "", "status": "held", "date_precision": "day"},
        rows={name: [] for name in GROUPS},
    )
    for name, count in (rows or {"participants": 2, "sources": 1, "links": 0}).items():
        for _ in range(count):
            form.rows[name].append(empty_row(name))
    return form


def empty_row(group: str) -> dict[str, str]:
    row = dict.fromkeys(GROUPS[group], "")
    if group == "participants":
        row.update(role="party", kind="person")
    if group == "links":
        row.update(kind="related")
    return row


def parse(data: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> EventForm:
    """A form from posted fields; nothing is checked or dropped here."""
    items = data.items() if isinstance(data, Mapping) else data
    form = EventForm(rows={name: [] for name in GROUPS})
    indexed: dict[str, dict[int, dict[str, str]]] = {name: {} for name in GROUPS}
    for key, raw in items:
        if not isinstance(raw, str):
            continue
        if key in SCALARS:
            form.values[key] = raw
        elif key in CHECKBOXES:
            form.values[key] = raw not in ("", "0", "false", "off")
        elif match := _ROW_NAME.match(key):
            group, index, name = match.group(1), int(match.group(2)), match.group(3)
            if name in GROUPS[group] and index < MAX_ROWS:
                indexed[group].setdefault(index, dict.fromkeys(GROUPS[group], ""))[name] = raw
    for group, by_index in indexed.items():
        form.rows[group] = [by_index[i] for i in sorted(by_index)]
    return form


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


def from_snapshot(
    snapshot: Mapping[str, Any], names: Mapping[str, Mapping[str, str]] | None = None
) -> EventForm:
    """The form for an existing event, from its write-form snapshot (names where clear)."""
    names = names or {}
    actor = names.get("actor", {})

    def named(kind: str, slug: Any) -> Any:
        return names.get(kind, {}).get(slug, slug) if slug else slug

    form = EventForm(rows={name: [] for name in GROUPS})
    for name in SCALARS:
        value = snapshot.get(name)
        if name == "tags":
            value = ", ".join(named("tag", t) for t in snapshot.get("tags") or [])
        elif name in ("place", "series"):
            value = named(name, value)
        elif name in ("start_time", "end_time") and value:
            value = str(value)[:5]
        form.values[name] = "" if value is None else str(value)
    form.values["reason"] = ""
    form.values["date_approximate"] = bool(snapshot.get("date_approximate"))
    for p in snapshot.get("participants") or []:
        row = {**empty_row("participants"), **p}
        row["actor"] = actor.get(p["actor"], p["actor"])
        form.rows["participants"].append(row)
    for s in snapshot.get("sources") or []:
        row = empty_row("sources")
        row.update({k: "" if s.get(k) is None else str(s[k]) for k in GROUPS["sources"]})
        if s.get("speaker"):
            row["speaker"] = actor.get(s["speaker"], s["speaker"])
        form.rows["sources"].append(row)
    for link in snapshot.get("links") or []:
        form.rows["links"].append({**empty_row("links"), **link})
    return form


def is_empty(group: str, row: Mapping[str, str]) -> bool:
    return not any((row.get(k) or "").strip() for k in GROUPS[group] if k not in DEFAULTED)


def add_row(form: EventForm, group: str) -> None:
    if group in GROUPS and len(form.rows[group]) < MAX_ROWS:
        form.rows[group].append(empty_row(group))


def remove_row(form: EventForm, target: str) -> None:
    group, _, index = target.rpartition("-")
    if group in GROUPS and index.isdigit() and int(index) < len(form.rows[group]):
        del form.rows[group][int(index)]


# --- from the form to the write schema ----------------------------------------------------


@dataclass
class _Pending:
    """Records the editor asked to create; made only once everything else checks out."""

    place: str | None = None
    series: str | None = None
    actors: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Prepared:
    """The payload for EventCreate/EventReplace (slugs as placeholders for new records)."""

    payload: dict[str, Any]
    pending: _Pending
    placeholders: dict[str, str]


class _Ambiguous(Exception):
    def __init__(self, slugs: list[str]) -> None:
        super().__init__(", ".join(slugs))
        self.slugs = slugs


def _find(session: Session, model: Any, value: str, *names: str) -> str | None:
    """The slug of the record with this slug, or this name (or alias), case aside.

    A name two records share is not guessed at: _Ambiguous lists their slugs."""
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
            raise _Ambiguous([str(s) for s in slugs])
        if slugs:
            return str(slugs[0])
    if hasattr(model, "aliases"):
        # Aliases are a short JSON list; the few records with a match are checked in Python.
        like = f"%{lowered}%"
        from sqlalchemy import String, cast

        for row in session.scalars(
            select(model).where(func.lower(cast(model.aliases, String)).like(like)).limit(20)
        ):
            if any(alias.lower() == lowered for alias in row.aliases):
                return str(row.slug)
    return None


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def prepare(session: Session, form: EventForm) -> Prepared:
    """Resolve names to slugs and collect what to create; errors go into `form.errors`."""
    pending = _Pending()
    placeholders: dict[str, str] = {}

    def find(field: str, model: Any, value: str, *names: str) -> str | None:
        """The slug, None if nothing matches, or "" (with the error set) if several do."""
        try:
            return _find(session, model, value, *names)
        except _Ambiguous as exc:
            form.errors.setdefault(
                field,
                f"More than one is called “{value.strip()}”. Type the one you mean by its "
                f"short name: {', '.join(exc.slugs)}.",
            )
            return ""

    def placeholder(kind: str, name: str) -> str:
        slug = f"{slugify(name)}"
        placeholders[f"{kind}:{slug}"] = name
        return slug

    payload: dict[str, Any] = {}
    for name in event_service.SCALAR_FIELDS:
        if name == "date_approximate":
            continue  # a checkbox, read below
        raw = (form.value(name)).strip()
        if name in ("summary", "body") or raw:
            payload[name] = raw
        elif name in ("title", "kind", "start_date"):
            payload[name] = ""  # so the schema names it as missing
    payload["date_approximate"] = form.checked("date_approximate")

    for kind, model, name_column in (("place", Place, "name"), ("series", Series, "title")):
        typed = form.value(kind).strip()
        if not typed:
            continue
        slug = find(kind, model, typed, name_column)
        if slug is None and form.checked(f"{kind}_create"):
            setattr(pending, kind, typed)
            slug = placeholder(kind, typed)
        if slug is None:
            form.errors[kind] = (
                f"There is no {kind} called “{typed}”. Pick one from the list, "
                f"or tick “Create a new {kind}” to add it."
            )
        payload[kind] = slug

    participants = []
    new_actor_names: dict[str, str] = {}
    for index, row in enumerate(form.rows["participants"]):
        if is_empty("participants", row):
            continue
        prefix = f"participants-{index}"
        name = (row.get("actor") or "").strip()
        slug = find(f"{prefix}-actor", Actor, name, "name")
        if slug is None and row.get("create") and name:
            affiliation = _text(row.get("affiliation"))
            affiliation_slug = None
            if affiliation:
                affiliation_slug = find(f"{prefix}-affiliation", Actor, affiliation, "name")
                if affiliation_slug is None:
                    form.errors[f"{prefix}-affiliation"] = (
                        f"There is no actor called “{affiliation}” to be affiliated to."
                    )
            slug = placeholder("actor", name)
            pending.actors[slug] = (name, row.get("kind") or "person", affiliation_slug)
            new_actor_names[name.lower()] = slug
        if slug is None:
            form.errors[f"{prefix}-actor"] = (
                "Who took part? Pick a name from the list."
                if not name
                else f"There is no actor called “{name}”. Pick one from the list, "
                "or tick “Create a new actor” to add them."
            )
        participants.append({"actor": slug or "", "role": row.get("role") or "party"})
        form.values.setdefault("_participant_index", {})[len(participants) - 1] = index
    payload["participants"] = participants

    sources = []
    for index, row in enumerate(form.rows["sources"]):
        if is_empty("sources", row):
            continue
        source: dict[str, Any] = {
            "url": (row.get("url") or "").strip(),
            "publisher": (row.get("publisher") or "").strip(),
        }
        for key in ("title", "published_on", "quote"):
            if _text(row.get(key)):
                source[key] = row[key].strip()
        speaker = _text(row.get("speaker"))
        if speaker:
            slug = find(f"sources-{index}-speaker", Actor, speaker, "name")
            if slug is None:
                slug = new_actor_names.get(speaker.lower())
            if slug is None:
                form.errors[f"sources-{index}-speaker"] = (
                    f"There is no actor called “{speaker}”. Add them as a participant "
                    "(with “Create a new actor”) or pick a name from the list."
                )
            source["speaker"] = slug
        sources.append(source)
        form.values.setdefault("_source_index", {})[len(sources) - 1] = index
    payload["sources"] = sources

    tags = []
    for name in [t.strip() for t in form.value("tags").split(",")]:
        if not name:
            continue
        slug = find("tags", Tag, name, "name")
        if slug is None:
            slug = placeholder("tag", name)
            pending.tags[slug] = name
        tags.append(slug)
    payload["tags"] = tags

    links = []
    for index, row in enumerate(form.rows["links"]):
        if is_empty("links", row):
            continue
        target = (row.get("event") or "").strip()
        slug = find(f"links-{index}-event", Event, target, "title")
        if slug is None:
            form.errors[f"links-{index}-event"] = (
                f"There is no event “{target}”. Pick one from the list."
                if target
                else "Which event? Pick one from the list."
            )
        links.append({"kind": row.get("kind") or "related", "event": slug or ""})
        form.values.setdefault("_link_index", {})[len(links) - 1] = index
    payload["links"] = links
    return Prepared(payload=payload, pending=pending, placeholders=placeholders)


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


# --- errors back onto the form ------------------------------------------------------------

_FRIENDLY = {
    "missing": "This is required.",
    "string_too_short": "This is required.",
    "date_from_datetime_parsing": "Enter a date like 2026-02-01.",
    "date_parsing": "Enter a date like 2026-02-01.",
    "date_type": "Enter a date like 2026-02-01.",
    "time_parsing": "Enter a time like 14:30.",
    "time_type": "Enter a time like 14:30.",
    "int_parsing": "Enter a whole number.",
    "greater_than_equal": "This must be 1 or more.",
    "less_than_equal": "This number is too large.",
    "literal_error": "Choose one of the options.",
    "string_too_long": "This is too long.",
    "extra_forbidden": "This field is not part of an event.",
}


def _field_name(form: EventForm, loc: Sequence[Any]) -> str:
    parts = [p for p in loc if p != "body" or len(loc) == 1]
    if not parts:
        return "form"
    group = parts[0]
    if group in GROUPS and len(parts) >= 2 and isinstance(parts[1], int):
        # The payload skipped empty rows; point at the row the editor actually typed in.
        index_map = form.values.get(
            {"participants": "_participant_index", "sources": "_source_index"}.get(
                str(group), "_link_index"
            ),
            {},
        )
        row = index_map.get(parts[1], parts[1])
        if len(parts) >= 3:
            return f"{group}-{row}-{parts[2]}"
        return f"{group}-{row}"
    if group == "tags":
        return "tags"
    return str(group)


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if error.get("input") == "" and kind not in ("value_error", "assertion_error"):
        return "This is required."
    msg = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    loc = list(error.get("loc") or [])
    if kind == "string_pattern_mismatch" and loc and str(loc[-1]).endswith("url"):
        return "Enter the full web address, starting with https://"
    if kind == "string_pattern_mismatch":
        return "Pick one from the list."
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    return msg[:1].upper() + msg[1:] + ("" if msg.endswith(".") else ".")


def add_errors(form: EventForm, errors: Iterable[Mapping[str, Any]]) -> None:
    for error in errors:
        name = _field_name(form, list(error.get("loc") or []))
        form.errors.setdefault(name, _message(error))


def add_error(form: EventForm, exc: ValidationError | DomainError) -> None:
    """Put what the schema or a service refused next to the fields it names."""
    if isinstance(exc, ValidationError):
        add_errors(form, [dict(e) for e in exc.errors()])
    elif exc.errors:
        add_errors(form, exc.errors)
    else:
        form.errors.setdefault("form", exc.detail[:1].upper() + exc.detail[1:])


_ROW_LABELS = {"participants": "Participant", "sources": "Source", "links": "Link"}
_ROW_FIELD_LABELS = {
    "actor": "name",
    "role": "role",
    "affiliation": "affiliation",
    "kind": "kind",
    "url": "web address",
    "publisher": "publisher",
    "title": "headline",
    "published_on": "published on",
    "quote": "quote",
    "speaker": "who said it",
    "event": "other event",
}


def field_label(name: str) -> str:
    """What the form calls an input: "End date", "Source 1, web address"."""
    if name == "form":
        return ""
    parts = name.split("-")
    if parts[0] in _ROW_LABELS and len(parts) >= 2 and parts[1].isdigit():
        label = f"{_ROW_LABELS[parts[0]]} {int(parts[1]) + 1}"
        if len(parts) >= 3:
            label += ", " + _ROW_FIELD_LABELS.get(parts[2], parts[2].replace("_", " "))
        return label
    return LABELS.get(name, name.replace("_", " ").capitalize())


# --- duplicates -----------------------------------------------------------------------------

#: How alike two titles must be (0–1, difflib's ratio on lowercased words) to ask first.
SIMILAR_TITLE = 0.6
#: ...or how many of their words they share (Jaccard), whatever the order.
SHARED_WORDS = 0.5


def similar_events(session: Session, *, start_date: Any, title: str) -> list[Event]:
    """Live events on the same start date whose title reads much like this one."""
    import datetime as dt

    if not isinstance(start_date, dt.date) or not title.strip():
        return []
    wanted = _words(title)
    candidates = session.scalars(
        select(Event).where(Event.start_date == start_date, Event.deleted_at.is_(None)).limit(200)
    )
    return [event for event in candidates if _alike(wanted, _words(event.title))]


def _words(title: str) -> list[str]:
    return re.findall(r"\w+", title.lower())


def _alike(a: list[str], b: list[str]) -> bool:
    """Alike in spelling (difflib) or in words shared ("talks in Abu Dhabi" ~ "Abu Dhabi talks")."""
    from difflib import SequenceMatcher

    if SequenceMatcher(None, " ".join(a), " ".join(b)).ratio() >= SIMILAR_TITLE:
        return True
    shared, every = set(a) & set(b), set(a) | set(b)
    return bool(every) and len(shared) / len(every) >= SHARED_WORDS


# --- reading snapshots side by side ---------------------------------------------------------

LABELS = {
    "title": "Title",
    "summary": "Summary",
    "body": "Text",
    "kind": "Kind",
    "status": "Status",
    "start_date": "Start date",
    "start_time": "Start time",
    "end_date": "End date",
    "end_time": "End time",
    "date_precision": "Date precision",
    "date_approximate": "Approximate date",
    "timezone": "Time zone",
    "place": "Place",
    "series": "Series",
    "round": "Round",
    "participants": "Participants",
    "sources": "Sources",
    "tags": "Tags",
    "links": "Links",
    "deleted": "Deleted",
}


@dataclass
class FieldChange:
    field: str
    label: str
    before: list[str]
    after: list[str]
    removed: list[str]
    added: list[str]


def _lines(name: str, value: Any) -> list[str]:
    """A snapshot value as lines a person reads."""
    if value is None or value == "" or value == []:
        return []
    if name == "participants":
        return [f"{p['actor']} ({p['role']})" for p in value]
    if name == "sources":
        lines = []
        for s in value:
            line = f"{s.get('publisher') or ''}: {s.get('url')}"
            if s.get("published_on"):
                line += f" ({s['published_on']})"
            if s.get("quote"):
                line += f" — “{s['quote']}”"
            if s.get("speaker"):
                line += f" — {s['speaker']}"
            lines.append(line)
        return lines
    if name == "links":
        return [f"{link['kind'].replace('_', ' ')} → {link['event']}" for link in value]
    if name == "tags":
        return [str(t) for t in value]
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    return [str(value)]


def changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], fields: Sequence[str] | None = None
) -> list[FieldChange]:
    """Field by field, what differs between two write-form snapshots."""
    result = []
    for name in fields or LABELS:
        old = (before or {}).get(name)
        new = after.get(name)
        if (old in (None, "", [], False)) and (new in (None, "", [], False)):
            continue
        if old == new:
            continue
        old_lines, new_lines = _lines(name, old), _lines(name, new)
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
