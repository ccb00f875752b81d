"""The dump file: gzip'd JSON lines, and how each column's values are written and read back.

A dump is one header line (what made it), then for each table a line naming it and its
columns followed by one JSON array per row, then an end line with the row count, so a
file cut short is refused instead of restored in part. Values are JSON as they are, except
bytes (base64) and dates and times (ISO 8601): what both databases read back the same.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
from collections.abc import Callable, Generator
from typing import IO, Any

from sqlalchemy import JSON, Column, Date, DateTime, LargeBinary, Table, Time
from sqlalchemy.types import TypeDecorator

#: The layout of the file; a restore refuses any other.
FORMAT_VERSION = 1
#: What the header's first key says, so that any other file is told apart at once.
MAGIC = "parley-dump"

#: Tables that are not the site's data: who is signed in now, recent sign-in tries, and the
#: counter caches read (a restore moves it on instead).
EXCLUDED_TABLES = frozenset({"user_session", "login_attempt", "login_throttle", "data_version"})


class DumpError(Exception):
    """A dump that cannot be written or restored, said in one line."""


def _kind(column: Column[Any]) -> str:
    column_type = column.type
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, JSON):
        return "json"
    if isinstance(column_type, LargeBinary):
        return "bytes"
    if isinstance(column_type, DateTime):
        return "datetime"
    if isinstance(column_type, Date):
        return "date"
    if isinstance(column_type, Time):
        return "time"
    return "plain"


def _as_is(value: Any) -> Any:
    return value


_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "bytes": lambda value: base64.b64encode(value).decode("ascii"),
    "datetime": lambda value: value.isoformat(),
    "date": lambda value: value.isoformat(),
    "time": lambda value: value.isoformat(),
}
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "bytes": base64.b64decode,
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
}


def dumped_columns(table: Table) -> list[Column[Any]]:
    """The columns a dump keeps: all but those the database computes itself."""
    return [column for column in table.columns if column.computed is None]


def encoders(columns: list[Column[Any]]) -> list[Callable[[Any], Any]]:
    return [_ENCODERS.get(_kind(column), _as_is) for column in columns]


def decoders(columns: list[Column[Any]]) -> list[Callable[[Any], Any]]:
    return [_DECODERS.get(_kind(column), _as_is) for column in columns]


def encode_row(row: Any, encode: list[Callable[[Any], Any]]) -> list[Any]:
    return [None if value is None else code(value) for value, code in zip(row, encode, strict=True)]


def decode_row(values: list[Any], decode: list[Callable[[Any], Any]]) -> list[Any]:
    return [
        None if value is None else code(value) for value, code in zip(values, decode, strict=True)
    ]


def line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def open_for_writing(path: str) -> IO[str]:
    return gzip.open(path, "wt", encoding="utf-8", compresslevel=6)


def read_lines(path: str) -> Generator[Any, None, None]:
    """Each line of a dump, parsed; a file that is not one is a DumpError."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            for text in stream:
                yield json.loads(text)
    except FileNotFoundError:
        raise DumpError(f"{path}: no such file") from None
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DumpError(f"{path} is not a Parley dump, or it is damaged ({exc})") from None


class Progress:
    """What a dump or restore tells as it goes; this one tells no one (the command shows a
    bar on a terminal)."""

    def start(self, total: int) -> None:
        """The rows to come, in every table."""

    def table(self, name: str) -> None:
        """A table begins."""

    def advance(self, rows: int) -> None:
        """That many more rows are done."""
