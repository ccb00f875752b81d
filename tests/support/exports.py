"""The CSV and NDJSON export formats, written here from the API's event objects (as the
contract describes them), so import tests do not lean on the exporting code."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

COLUMNS = (
    "slug",
    "title",
    "kind",
    "status",
    "start_date",
    "end_date",
    "start_time",
    "end_time",
    "timezone",
    "date_precision",
    "date_approximate",
    "place",
    "series",
    "round",
    "participants",
    "tags",
    "summary",
    "body",
    "sources",
)


def _cell(event: dict[str, Any], column: str) -> str:
    value = event.get(column)
    if column in ("place", "series"):
        return value["slug"] if value else ""
    if column == "participants":
        return "; ".join(f"{p['actor']['slug']}:{p['role']}" for p in value)
    if column == "tags":
        return "; ".join(tag["slug"] for tag in value)
    if column == "sources":
        return "; ".join(source["url"] for source in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def csv_bytes(events: list[dict[str, Any]], *, bom: bool = False) -> bytes:
    """RFC 4180 (CRLF line ends, quotes doubled), UTF-8, a header row."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for event in events:
        writer.writerow([_cell(event, column) for column in COLUMNS])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def ndjson_bytes(events: list[dict[str, Any]]) -> bytes:
    """One API object per line."""
    return "".join(json.dumps(event, ensure_ascii=False) + "\n" for event in events).encode()


def every_event(client: Any) -> list[dict[str, Any]]:
    """Every live event as the API answers it, in date order (the list's objects are the
    detail's, as the export's are)."""
    items: list[dict[str, Any]] = []
    url: str | None = "/api/v1/events?limit=500"
    while url:
        page = client.get(url).json()
        items.extend(page["items"])
        url = (
            f"/api/v1/events?limit=500&cursor={page['next_cursor']}"
            if page["next_cursor"]
            else None
        )
    return items
