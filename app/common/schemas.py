"""Pydantic building blocks shared by every domain's schemas."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from app.common.slugs import SLUG_LENGTH

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL bytes")
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def _clean_line(value: str) -> str:
    value = _clean_text(value)
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value


Slug = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=SLUG_LENGTH, pattern=SLUG_PATTERN
    ),
]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_clean_line),
]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_clean_line),
]
OptionalLine = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_clean_line)
]
Summary = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=1000), AfterValidator(_clean_text)
]
Body = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100_000), AfterValidator(_clean_text)
]
Url = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=2000, pattern=r"^https?://\S+$"
    ),
    AfterValidator(_clean_line),
]


#: A local time of day, as the API writes and reads it: HH:MM or HH:MM:SS, no offset (the
#: event's `timezone` says where it is).
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
_LOCAL_TIME = re.compile(LOCAL_TIME_PATTERN)
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO_INSTANT = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?)?$"
)


def _iso_date(value: Any) -> dt.date:
    """Only a date, or a string spelling one: a number is not a date (pydantic's lax mode
    would read 0 as 1970-01-01)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("date_parsing", "Input should be a valid date as YYYY-MM-DD")


def _local_time(value: Any) -> dt.time:
    """Only a time of day without an offset: the zone is the event's, and PostgreSQL's
    `time` column cannot keep one."""
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and _LOCAL_TIME.match(value.strip()):
        return dt.time.fromisoformat(value.strip())
    raise PydanticCustomError(
        "time_parsing", "Input should be a local time as HH:MM or HH:MM:SS, without an offset"
    )


def _instant(value: Any) -> dt.datetime:
    """A date and time in ISO 8601 (a date alone is its midnight, UTC when no offset), which
    UTC can also say: not a number of seconds, and not 9999-12-31T23:59-10:00."""
    wrong = PydanticCustomError(
        "datetime_parsing", "Input should be a date and time in ISO 8601 (2026-02-01T12:00Z)"
    )
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and _ISO_INSTANT.match(value.strip()):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise wrong from None
    else:
        raise wrong
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        raise PydanticCustomError(
            "datetime_parsing", "Input should be a time that UTC can also say (year 1 to 9999)"
        ) from None


_WHOLE_NUMBER = re.compile(r"^-?[0-9]+$")


def _whole_number(value: Any) -> int:
    """A number in a query or a path: digits only ("1.0", "1_0" and "1e3" are not one)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _WHOLE_NUMBER.match(value) and len(value) <= 20:
        return int(value)
    raise PydanticCustomError("int_parsing", "Input should be a whole number, in digits")


def _true_or_false(value: Any) -> bool:
    """A yes-or-no in a query: `true` or `false`, as the documentation spells them."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    raise PydanticCustomError("bool_parsing", "Input should be true or false")


#: A whole number in a query or a path.
WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
#: `true` or `false` in a query.
TrueOrFalse = Annotated[bool, BeforeValidator(_true_or_false)]
#: A calendar date in a write or a query: YYYY-MM-DD, nothing else.
Day = Annotated[dt.date, BeforeValidator(_iso_date)]
#: A time of day without an offset.
LocalTime = Annotated[
    dt.time,
    BeforeValidator(_local_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": LOCAL_TIME_PATTERN,
            "description": "A local time (HH:MM or HH:MM:SS) in the event's time zone.",
        }
    ),
]
#: A moment in a query, in UTC.
Instant = Annotated[dt.datetime, BeforeValidator(_instant)]


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class WriteModel(BaseModel):
    # Unknown fields are refused, so that a typo ("titel") is an error, not silently dropped.
    # Strict: a JSON `false` is not a number, `0` not a date, `12` not a name. Forms and seeds,
    # whose values are all strings, validate with `strict=False`.
    model_config = ConfigDict(extra="forbid", strict=True)
