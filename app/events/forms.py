"""The event form: what a browser sends, as typed, and where each error goes.

Values stay strings exactly as typed, so a form sent back with errors shows everything again.
The form's plain inputs are the event's plain fields (`fields.py`); places, series, actors,
tags and linked events are typed by name (see `naming.py`). Images already uploaded are rows
(their URL hidden, their words editable); a new one comes through the upload inputs
(`UPLOAD_FILE` and the `new_media_…` words), and `editing.py` turns it into a row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from app.common.forms import message, plain_text
from app.core.errors import DomainError
from app.events.fields import BY_NAME, PLAIN_FIELDS

#: Inputs that are ticked or not.
CHECKBOXES = (
    *(field.name for field in PLAIN_FIELDS if field.widget == "checkbox"),
    "place_create",
    "series_create",
)
#: The form's single-valued inputs: the event's plain fields (the checkboxes aside), the place
#: and series by name, the tags as a list, and what the form itself carries.
SCALARS = (
    *(field.name for field in PLAIN_FIELDS if field.name not in CHECKBOXES),
    "place",
    "series",
    "tags",
    "reason",
    "version",
    "suggestion",
    "new_media_alt",
    "new_media_credit",
    "new_media_caption",
)
#: The file input of the image upload.
UPLOAD_FILE = "new_media_file"

#: Each repeated group and the fields of one row.
GROUPS: dict[str, tuple[str, ...]] = {
    "participants": ("actor", "role", "create", "kind", "affiliation"),
    "sources": (
        "url",
        "publisher",
        "title",
        "published_on",
        "quote",
        "original_quote",
        "original_language",
        "speaker",
    ),
    "links": ("kind", "event"),
    "media": ("url", "alt", "credit", "caption"),
}

#: Fields of a row that say nothing by themselves (a row with only these is empty).
DEFAULTED = {"role", "create", "kind"}

MAX_ROWS = 200


_ROW_NAME = re.compile(rf"^({'|'.join(GROUPS)})-(\d{{1,3}})-([a-z_]+)$")


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
    for key, typed in items:
        if not isinstance(typed, str):
            continue
        raw = plain_text(typed)
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
        elif name in BY_NAME and BY_NAME[name].widget == "time" and value:
            value = str(value)[:5]  # hours and minutes, as the time input shows them
        form.values[name] = "" if value is None else str(value)
    form.values["reason"] = ""
    for name in CHECKBOXES:
        form.values[name] = bool(snapshot.get(name))
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
    for image in snapshot.get("media") or []:
        row = empty_row("media")
        row.update({k: "" if image.get(k) is None else str(image[k]) for k in GROUPS["media"]})
        form.rows["media"].append(row)
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


# --- errors back onto the form ------------------------------------------------------------


#: For each repeated group, the form row each item of the write came from: the write skips
#: the rows left empty, and an error must point at the row the editor typed in.
RowsOfItems = Mapping[str, Sequence[int]]


def _field_name(loc: Sequence[Any], rows: RowsOfItems) -> str:
    parts = [p for p in loc if p != "body" or len(loc) == 1]
    if not parts:
        return "form"
    group = parts[0]
    if group in GROUPS and len(parts) >= 2 and isinstance(parts[1], int):
        typed_in = rows.get(str(group), ())
        row = typed_in[parts[1]] if parts[1] < len(typed_in) else parts[1]
        if len(parts) >= 3:
            return f"{group}-{row}-{parts[2]}"
        return f"{group}-{row}"
    if group == "tags":
        return "tags"
    return str(group)


def add_errors(
    form: EventForm, errors: Iterable[Mapping[str, Any]], rows: RowsOfItems | None = None
) -> None:
    for error in errors:
        name = _field_name(list(error.get("loc") or []), rows or {})
        form.errors.setdefault(name, message(error))


def add_error(
    form: EventForm, exc: ValidationError | DomainError, rows: RowsOfItems | None = None
) -> None:
    """Put what the schema or a service refused next to the fields it names."""
    if isinstance(exc, ValidationError):
        add_errors(form, [dict(e) for e in exc.errors()], rows)
    elif exc.errors:
        add_errors(form, exc.errors, rows)
    else:
        form.errors.setdefault("form", exc.detail[:1].upper() + exc.detail[1:])


_ROW_LABELS = {
    "participants": "Participant",
    "sources": "Source",
    "links": "Link",
    "media": "Image",
}
_UPLOAD_LABELS = {
    UPLOAD_FILE: "New image",
    "new_media_alt": "New image, alt text",
    "new_media_credit": "New image, credit",
    "new_media_caption": "New image, caption",
}


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
    "original_quote": "original quote",
    "original_language": "original language",
    "speaker": "who said it",
    "event": "other event",
    "alt": "alt text",
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
    if name in BY_NAME:
        return BY_NAME[name].label
    if name in _UPLOAD_LABELS:
        return _UPLOAD_LABELS[name]
    return name.replace("_", " ").capitalize()
