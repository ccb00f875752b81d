"""An event as a row of the CSV export: the write form a revision keeps (related records by
slug, sources by URL), so that a row reads back into the same event. Made from the event's
answer whenever its stored answer is (`documents.py`), so the export only joins rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from app.events.fields import WRITE_FIELDS

#: The columns, in order: the slug, then every field a write takes, as `fields.py` lists them.
COLUMNS: tuple[str, ...] = ("slug", *WRITE_FIELDS)
#: How lists share one cell.
SEPARATOR = "; "
#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
#: Excel reads a CSV without a byte order mark in the machine's legacy code page, so
#: Cyrillic and typographic quotes would come out garbled; with it, Excel, LibreOffice,
#: Numbers and Google Sheets all read UTF-8 (and Python reads it with "utf-8-sig").
BOM = "\ufeff"

#: How each field that holds a list reads in its cell.
CELLS: dict[str, Callable[[Any], str]] = {
    "participants": lambda value: SEPARATOR.join(f"{p['actor']}:{p['role']}" for p in value),
    "sources": lambda value: SEPARATOR.join(source["url"] for source in value),
    "media": lambda value: SEPARATOR.join(image["url"] for image in value),
    "tags": lambda value: SEPARATOR.join(value),
    "links": lambda value: SEPARATOR.join(f"{link['kind']}:{link['event']}" for link in value),
}


#: How each field that names other records reads off an event's answer, in write form: by
#: slug, sources and images by URL.
WRITTEN: dict[str, Callable[[Any], Any]] = {
    "place": lambda place: place["slug"] if place else None,
    "series": lambda series: series["slug"] if series else None,
    "participants": lambda value: [{"actor": p["actor"]["slug"], "role": p["role"]} for p in value],
    "sources": lambda value: [{"url": source["url"]} for source in value],
    "media": lambda value: [{"url": image["url"]} for image in value],
    "tags": lambda value: [tag["slug"] for tag in value],
    "links": lambda value: [
        {"kind": link["kind"], "event": link["event"]["slug"]} for link in value
    ],
}


def written(answer: dict[str, Any]) -> dict[str, Any]:
    """An event's answer (`GET /api/v1/events/{slug}`) in write form, with its slug. Its
    time zone is the one the event keeps to (its place's when it names none)."""
    data = {"slug": answer["slug"]}
    for name in WRITE_FIELDS:
        data[name] = WRITTEN[name](answer[name]) if name in WRITTEN else answer[name]
    return data


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


#: What gets the apostrophe: a cell that would start a formula, and one that starts with an
#: apostrophe itself, so that an import, which strips one from either, gives it back whole.
DEFUSED_STARTS = (*FORMULA_STARTS, "'")


def defused(text: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading
    apostrophe (which spreadsheets hide, and an import strips: `undefused`)."""
    return f"'{text}" if text.startswith(DEFUSED_STARTS) else text


def undefused(cell: str) -> str:
    """The text of a cell `defused` wrote."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(DEFUSED_STARTS) else cell


def row(data: dict[str, Any]) -> list[str]:
    """An event's cells from its write form, in the order of COLUMNS."""
    return [
        defused(CELLS[name](data[name]) if name in CELLS else _plain(data[name]))
        for name in COLUMNS
    ]


class _Rows:
    """Writes CSV rows into a buffer that is emptied after each batch."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        # RFC 4180: CRLF after every row, fields with commas, quotes or line breaks quoted.
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def take(self) -> bytes:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text.encode("utf-8")


def header() -> bytes:
    """The first bytes of the file: the byte order mark and the header row."""
    rows = _Rows()
    rows.writer.writerow(COLUMNS)
    return BOM.encode("utf-8") + rows.take()


def encoded(answer: dict[str, Any]) -> bytes:
    """The CSV row (CRLF-ended, UTF-8) of an event's answer."""
    out = _Rows()
    out.writer.writerow(row(written(answer)))
    return out.take()
