"""Event shapes, derived from the declaration in `fields.py`: what the API answers and
templates show, and what writes accept."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, ValidationInfo, create_model, field_validator

from app.common.schemas import ReadModel, Slug, Summary, WriteModel
from app.events.fields import FIELDS, EventField


def _default(field: EventField) -> Any:
    if field.default is list:
        return Field(default_factory=list)
    return field.default


def _read_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {"slug": (str, ...)}
    for field in FIELDS:
        if field.read is not None:
            fields[field.name] = (field.read, Field(description=field.description))
    return fields


def _write_fields(*, every_one_optional: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for field in FIELDS:
        if not field.writable:
            continue
        if every_one_optional:
            fields[field.name] = (field.write | None, None)
        else:
            fields[field.name] = (field.write, _default(field))
    return fields


class _Declared(BaseModel):
    """The fields of these models come from the declaration, which type checkers cannot
    see: to them, any field reads as Any."""

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any: ...


_EventReadFields: Any = create_model(
    "_EventReadFields",
    __base__=(ReadModel, _Declared),
    **_read_fields(),
    version=(int, ...),
    created_at=(dt.datetime, ...),
    updated_at=(dt.datetime, ...),
    deleted_at=(dt.datetime | None, None),
)


class EventRead(_EventReadFields, _Declared):
    """An event as the API answers it, everything it names embedded."""


class _EventWrite(WriteModel, _Declared):
    """What every event write checks once: the rules that span fields."""

    # Field validators run in declaration order, so each sees the fields before it and the
    # error names the field that is wrong ("end_date"), not the whole body.
    @field_validator("end_date", "end_time", "date_precision", "round", check_fields=False)
    @classmethod
    def _check_against_earlier_fields(cls, value: Any, info: ValidationInfo) -> Any:
        fields = {**info.data, str(info.field_name): value}
        for field, message in event_field_problems(fields):
            if field == info.field_name:
                raise ValueError(message)
        return value


_EventFields: Any = create_model(
    "_EventFields", __base__=_EventWrite, **_write_fields(every_one_optional=False)
)
_EventChanges: Any = create_model(
    "_EventChanges", __base__=(WriteModel, _Declared), **_write_fields(every_one_optional=True)
)


class EventCreate(_EventFields):
    slug: Slug | None = Field(
        default=None, description="Stable identifier; made from the date and title when omitted."
    )
    reason: Summary | None = Field(default=None, description="Why; kept in the revision.")


class EventReplace(_EventFields):
    """PUT: the whole event; fields left out take their defaults."""

    reason: Summary | None = None


class EventUpdate(_EventChanges):
    """PATCH: only the fields given change."""

    reason: Summary | None = None


def event_field_problems(fields: dict[str, Any]) -> list[tuple[str, str]]:
    """The rules that span fields, as (field, message) pairs; empty when all is well."""
    problems: list[tuple[str, str]] = []
    start, end = fields.get("start_date"), fields.get("end_date")
    if start and end and end < start:
        problems.append(("end_date", f"the end date ({end}) is before the start date ({start})"))
    start_time, end_time = fields.get("start_time"), fields.get("end_time")
    if start_time and end_time and (not end or end == start) and end_time < start_time:
        problems.append(
            ("end_time", f"the end time ({end_time}) is before the start time ({start_time})")
        )
    if (start_time or end_time) and fields.get("date_precision", "day") != "day":
        problems.append(("date_precision", "a time of day needs date_precision 'day'"))
    if fields.get("round") is not None and not fields.get("series"):
        problems.append(("round", "a round number needs a series"))
    return problems


class RevisionRead(ReadModel):
    version: int
    action: str
    author: str
    at: dt.datetime
    reason: str | None
    snapshot: dict[str, Any] = Field(description="The event after this change, in write form.")


class RevisionSummary(ReadModel):
    version: int
    action: str
    author: str
    at: dt.datetime
    reason: str | None


class EventPage(ReadModel):
    items: list[EventRead]
    next_cursor: str | None
