"""Reading an import file: the CSV and NDJSON export formats, row by row, into the event's
write form (related records by slug), each row with the line it starts on.

Nothing here reads the database: a file in the wrong encoding or shape is refused before
any change, and each row's problems name its line and field.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app.events import spreadsheet
from app.events.fields import PLAIN_FIELDS
from app.media.schemas import MediaIn
from app.sources.schemas import CitationIn

#: The columns of the CSV export an import reads: all of them. Images are named by URL only,
#: so a cell can keep, reorder or drop the images the event has, with the words it has
#: with them, but not bring new ones (their alt text is not in the file).
CSV_COLUMNS = spreadsheet.COLUMNS
#: What a CSV must have to be one of events; the other columns, when left out, keep what an
#: event has (or take their defaults on a new one).
REQUIRED_COLUMNS = ("slug", "title", "kind", "start_date")
#: The separator of lists in one CSV cell ("russia:party; ukraine:party").
LIST_SEPARATOR = ";"

_PLAIN = {f.name for f in PLAIN_FIELDS}
_TRUE, _FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n", ""}


class ImportRefused(Exception):
    """A file that cannot be imported, said in one line; nothing was saved."""


class RowError(ImportRefused):
    """One row is wrong: its file, line and field, and what is wrong with it. A CSV row is
    also named by its row, as a spreadsheet numbers it, when a cell's line breaks make the
    two differ."""

    def __init__(
        self, file_name: str, line: int, field: str | None, message: str, *, row: int | None = None
    ) -> None:
        at = f"row {row} (line {line})" if row is not None and row != line else f"line {line}"
        where = f"{file_name} {at}" + (f", {field}" if field else "")
        super().__init__(f"{where}: {message}")
        self.line = line
        self.row = row
        self.field = field
        self.message = message


#: What NDJSON embeds of related records: kind ("place", "actor", …) → slug → its fields.
Related = dict[str, dict[str, dict[str, Any]]]


@dataclass
class Row:
    """One event of the file in write form: `fields` holds only what the file gives (a CSV
    without a column leaves that field as it is), `related` what NDJSON embeds of the
    records it names (places, series, actors, tags by slug), to create those missing."""

    line: int
    slug: str
    fields: dict[str, Any]
    related: Related = field(default_factory=dict)
    columnar: bool = False  # from a CSV: a field is named by its column
    number: int | None = None  # a CSV's row as a spreadsheet numbers it (the header is 1)

    def error(self, file_name: str, field: str | None, message: str) -> RowError:
        return RowError(file_name, self.line, field, message, row=self.number)


def decode(file_name: str, data: bytes) -> str:
    """The file as text: UTF-8, with or without a byte order mark, or refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused(
            f"{file_name} is not UTF-8 text (line {line} has the byte 0x{data[exc.start]:02x}): "
            "save it as UTF-8 and import it again; nothing was saved"
        ) from None


def file_format(file_name: str, text: str) -> str:
    """'csv' or 'ndjson': by the file's extension, else by its first character."""
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if suffix == "csv":
        return "csv"
    if suffix in ("ndjson", "jsonl", "json"):
        return "ndjson"
    return "ndjson" if text.lstrip()[:1] == "{" else "csv"


def rows(file_name: str, text: str) -> list[Row]:
    """Every row of the file, checked for shape; refused whole at the first bad one."""
    if not text.strip():
        raise ImportRefused(f"{file_name} is empty: there is nothing to import")
    read = _csv_rows if file_format(file_name, text) == "csv" else _ndjson_rows
    found = list(read(file_name, text))
    seen: dict[str, int] = {}
    for row in found:
        if row.slug in seen:
            raise RowError(
                file_name, row.line, "slug", f"{row.slug!r} is already on line {seen[row.slug]}"
            )
        seen[row.slug] = row.line
    return found


# --- CSV ------------------------------------------------------------------------------------


def _csv_rows(file_name: str, text: str) -> Iterator[Row]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise ImportRefused(
                f"{file_name} is not a CSV of events: its header row has no "
                f"{', '.join(missing)} column (it has: {', '.join(header)[:200]})"
            )
        start = reader.line_num + 1
        for number, record in enumerate(reader, start=2):
            line, start = start, reader.line_num + 1
            row = Row(line, (record.get("slug") or "").strip(), {}, columnar=True, number=number)
            if None in record:
                raise row.error(file_name, None, "more values than the header has columns")
            yield _csv_row(row, file_name, record)
    except csv.Error as exc:
        raise RowError(file_name, reader.line_num, None, f"not valid CSV ({exc})") from None


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def _csv_row(row: Row, file_name: str, record: dict[str, Any]) -> Row:
    """The row with its fields read from the record's cells."""
    fields = row.fields
    for column in CSV_COLUMNS:
        if column == "slug" or column not in record:
            continue
        cell = spreadsheet.undefused(
            (record[column] or "").strip() if column not in ("summary", "body") else record[column]
        )
        if column == "date_approximate":
            if cell.lower() not in _TRUE | _FALSE:
                raise row.error(file_name, column, f"{cell!r} is not true or false")
            fields[column] = cell.lower() in _TRUE
        elif column == "participants":
            fields[column] = [_participant(part) for part in _split(cell)]
        elif column == "tags":
            fields[column] = _split(cell)
        elif column in ("sources", "media"):
            # Only the URLs: the rest of each citation or image is kept from the event.
            fields[column] = [{"url": url} for url in _split(cell)]
        elif column == "links":
            fields[column] = [_link(row, file_name, part) for part in _split(cell)]
        elif column in ("summary", "body"):
            fields[column] = cell
        else:
            fields[column] = cell or None
    return row


def _participant(cell: str) -> dict[str, str]:
    actor, _, role = cell.partition(":")
    return {"actor": actor.strip(), "role": role.strip()} if role else {"actor": actor.strip()}


def _link(row: Row, file_name: str, cell: str) -> dict[str, str]:
    """A link as its cell says it, "follows_up:abu-dhabi-talks-round-1": its kind, then the
    event it goes to."""
    kind, _, event = cell.partition(":")
    if not event.strip():
        raise row.error(file_name, "links", f"{cell!r} is not kind:event-slug")
    return {"kind": kind.strip(), "event": event.strip()}


# --- NDJSON ---------------------------------------------------------------------------------


def _ndjson_rows(file_name: str, text: str) -> Iterator[Row]:
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise RowError(file_name, number, None, f"not JSON ({exc.msg})") from None
        if not isinstance(data, dict) or not isinstance(data.get("slug"), str):
            raise RowError(file_name, number, None, "not an event: a JSON object with a slug")
        try:
            yield _api_row(number, data)
        except _Shape as exc:
            raise RowError(file_name, number, exc.field, "not in the export's shape") from None


class _Shape(Exception):
    """A field that is not what the export writes there."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _slug(value: Any, field: str) -> Any:
    """A related record as the API answers it ({"slug": …}), or already by slug."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("slug"), str):
        return value["slug"]
    raise _Shape(field)


def _items(data: dict[str, Any], field: str, kinds: Any = dict) -> list[Any]:
    value = data.get(field) or []
    if not isinstance(value, list) or not all(isinstance(item, kinds) for item in value):
        raise _Shape(field)
    return value


def _api_row(line: int, data: dict[str, Any]) -> Row:
    """The export's object (what GET /api/v1/events/{slug} answers) in write form."""
    fields: dict[str, Any] = {name: data[name] for name in _PLAIN if name in data}
    related: Related = {
        "place": {},
        "series": {},
        "actor": {},
        "tag": {},
    }
    for name in ("place", "series"):
        if name in data:
            fields[name] = _slug(data[name], name)
            if isinstance(data[name], dict):
                related[name][fields[name]] = data[name]
    if "participants" in data:
        fields["participants"] = []
        for item in _items(data, "participants"):
            actor = item.get("actor")
            fields["participants"].append(
                {"actor": _slug(actor, "participants"), "role": item.get("role", "party")}
            )
            _keep_actor(related, actor)
    if "sources" in data:
        fields["sources"] = [_citation(item, related) for item in _items(data, "sources")]
    if "tags" in data:
        tags = _items(data, "tags", dict | str)
        fields["tags"] = [_slug(tag, "tags") for tag in tags]
        related["tag"].update({t["slug"]: t for t in tags if isinstance(t, dict)})
    if "media" in data:
        fields["media"] = [
            {key: item[key] for key in _IMAGE_KEYS if key in item} for item in _items(data, "media")
        ]
    if "links" in data:
        fields["links"] = [
            {"kind": link.get("kind"), "event": _slug(link.get("event"), "links")}
            for link in _items(data, "links")
        ]
    return Row(line=line, slug=data["slug"], fields=fields, related=related)


def _keep_actor(related: Related, actor: Any) -> None:
    if isinstance(actor, dict) and isinstance(actor.get("slug"), str):
        related["actor"].setdefault(actor["slug"], actor)


#: What a citation and an image carry in write form besides what names another record: the
#: write schemas' own fields, so a field they gain is imported without a change here.
_CITATION_KEYS = tuple(name for name in CitationIn.model_fields if name != "speaker")
_IMAGE_KEYS = tuple(MediaIn.model_fields)


def _citation(item: dict[str, Any], related: Related) -> dict[str, Any]:
    speaker = item.get("speaker")
    _keep_actor(related, speaker)
    return {
        **{key: item[key] for key in _CITATION_KEYS if key in item},
        "speaker": _slug(speaker, "sources"),
    }
