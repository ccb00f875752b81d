"""Event shapes: what the API answers and templates show, and what writes accept."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from app.actors.schemas import ActorRef
from app.places.schemas import PlaceRef
from app.schemas import Body, ReadModel, Slug, Summary, Title, WriteModel
from app.series.schemas import SeriesRef
from app.sources.schemas import CitationIn, CitationRead
from app.tags.schemas import TagRead
from app.timezones import check_timezone

EventKind = Literal["talks", "meeting", "call", "statement", "proposal", "agreement", "other"]
EventStatus = Literal["held", "scheduled", "tentative", "postponed", "cancelled"]
DatePrecision = Literal["day", "month", "year"]
Role = Literal["party", "mediator", "host", "speaker", "delegate", "mentioned"]
LinkKind = Literal["announces", "follows_up", "responds_to", "reschedules", "related"]


class ParticipantRead(ReadModel):
    actor: ActorRef
    role: str


class EventRef(ReadModel):
    slug: str
    title: str
    kind: str
    status: str
    start_date: dt.date
    date_label: str


class LinkRead(ReadModel):
    kind: str
    event: EventRef


class EventRead(ReadModel):
    slug: str
    title: str
    summary: str
    body: str
    kind: str
    status: str
    display_status: str = Field(
        description="The status as readers see it: a planned date that has passed without "
        "an update reads 'awaiting confirmation'."
    )
    awaiting_confirmation: bool
    start_date: dt.date
    start_time: dt.time | None
    end_date: dt.date | None
    end_time: dt.time | None
    date_precision: str
    date_approximate: bool
    date_label: str = Field(description='The date as a person reads it: "Jan 23–24, 2026".')
    timezone: str | None
    place: PlaceRef | None
    series: SeriesRef | None
    round: int | None
    participants: list[ParticipantRead]
    sources: list[CitationRead]
    tags: list[TagRead]
    links: list[LinkRead] = Field(description="Links from this event to others.")
    linked_from: list[LinkRead] = Field(description="Links from other events to this one.")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None = None


class ParticipantIn(WriteModel):
    actor: Slug
    role: Role = "party"


class LinkIn(WriteModel):
    kind: LinkKind
    event: Slug


class _EventFields(WriteModel):
    """Every writable field; the checks that span fields live here once."""

    title: Title
    summary: Summary = ""
    body: Body = ""
    kind: EventKind
    status: EventStatus = "held"
    start_date: dt.date
    start_time: dt.time | None = None
    end_date: dt.date | None = None
    end_time: dt.time | None = None
    date_precision: DatePrecision = "day"
    date_approximate: bool = False
    timezone: str | None = None
    place: Slug | None = None
    series: Slug | None = None
    round: int | None = Field(default=None, ge=1, le=10_000)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=200)
    sources: list[CitationIn] = Field(default_factory=list, max_length=200)
    tags: list[Slug] = Field(default_factory=list, max_length=100)
    links: list[LinkIn] = Field(default_factory=list, max_length=100)

    _timezone = field_validator("timezone")(check_timezone)

    # Field validators run in declaration order, so each sees the fields before it and the
    # error names the field that is wrong ("end_date"), not the whole body.
    @field_validator("end_date", "end_time", "date_precision", "round")
    @classmethod
    def _check_against_earlier_fields(cls, value: Any, info: ValidationInfo) -> Any:
        fields = {**info.data, str(info.field_name): value}
        for field, message in event_field_problems(fields):
            if field == info.field_name:
                raise ValueError(message)
        return value


class EventCreate(_EventFields):
    slug: Slug | None = Field(
        default=None, description="Stable identifier; made from the date and title when omitted."
    )
    reason: Summary | None = Field(default=None, description="Why; kept in the revision.")


class EventReplace(_EventFields):
    """PUT: the whole event; fields left out take their defaults."""

    reason: Summary | None = None


class EventUpdate(WriteModel):
    """PATCH: only the fields given change."""

    title: Title | None = None
    summary: Summary | None = None
    body: Body | None = None
    kind: EventKind | None = None
    status: EventStatus | None = None
    start_date: dt.date | None = None
    start_time: dt.time | None = None
    end_date: dt.date | None = None
    end_time: dt.time | None = None
    date_precision: DatePrecision | None = None
    date_approximate: bool | None = None
    timezone: str | None = None
    place: Slug | None = None
    series: Slug | None = None
    round: int | None = Field(default=None, ge=1, le=10_000)
    participants: list[ParticipantIn] | None = Field(default=None, max_length=200)
    sources: list[CitationIn] | None = Field(default=None, max_length=200)
    tags: list[Slug] | None = Field(default=None, max_length=100)
    links: list[LinkIn] | None = Field(default=None, max_length=100)
    reason: Summary | None = None

    _timezone = field_validator("timezone")(check_timezone)


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
