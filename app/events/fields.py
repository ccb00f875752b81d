"""An event's fields, declared once.

`FIELDS` lists every field of an event in the order the API shows it. The table's plain
columns (`models.py`), the read, create, replace and update schemas (`schemas.py`), the
revision snapshot and the history's diff (`revisions.py`), the editing form (`forms.py` and
`templates/editing/`) and the PATCH rule that a field with a value cannot be blanked are all
derived from it. A new plain field (a column stored as it is written) is one line here and a
migration; fields that name other records (place, participants, …) or are computed for
readers (date_label, …) also need the code that loads, writes and shows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from pydantic import Field
from sqlalchemy import Boolean, Date, Integer, String, Text, Time
from sqlalchemy.types import TypeEngine

from app.actors.schemas import ActorRef
from app.common.schemas import Body, Day, LocalTime, ReadModel, Slug, Summary, Title, WriteModel
from app.common.timezones import TimeZone
from app.media.schemas import MediaIn, MediaRead
from app.places.schemas import PlaceRef
from app.series.schemas import SeriesRef
from app.sources.schemas import CitationIn, CitationRead
from app.tags.schemas import TagRead

EventKind = Literal["talks", "meeting", "call", "statement", "proposal", "agreement", "other"]
EventStatus = Literal["held", "scheduled", "tentative", "postponed", "cancelled"]
DatePrecision = Literal["day", "month", "year"]
Role = Literal["party", "mediator", "host", "speaker", "delegate", "mentioned"]
LinkKind = Literal["announces", "follows_up", "responds_to", "reschedules", "related"]

EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
EVENT_STATUSES: tuple[str, ...] = get_args(EventStatus)
#: Statuses of an event that has not happened (yet): drawn dashed, listed as upcoming.
PLANNED_STATUSES = ("scheduled", "tentative", "postponed")
DATE_PRECISIONS: tuple[str, ...] = get_args(DatePrecision)
PARTICIPATION_ROLES: tuple[str, ...] = get_args(Role)
LINK_KINDS: tuple[str, ...] = get_args(LinkKind)
REVISION_ACTIONS = ("create", "update", "delete", "restore")

#: The most images one event shows.
MAX_MEDIA = 20

#: Marks a field a write must give.
REQUIRED: Any = ...


# --- the shapes of the fields that name other records ---------------------------------------


class ParticipantIn(WriteModel):
    actor: Slug
    role: Role = "party"


class LinkIn(WriteModel):
    kind: LinkKind
    event: Slug


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


# --- the declaration ------------------------------------------------------------------------


@dataclass(frozen=True)
class EventField:
    """One field of an event.

    `read` is its type in answers (None: not answered), `write` the type a write takes (None:
    readers only), `default` what a write that leaves it out gets. `column` is the SQL type
    of a plain field, stored as written; fields without one name other records or are
    computed. `label`, `group`, `widget` and `hint` place it in the editing form and the
    history.
    """

    name: str
    read: Any
    write: Any = None
    default: Any = REQUIRED
    column: type[TypeEngine[Any]] | TypeEngine[Any] | None = None
    label: str = ""
    description: str | None = None
    group: str | None = None
    widget: str = "text"
    hint: str = ""
    choices: tuple[str, ...] = ()
    index: bool = False

    @property
    def plain(self) -> bool:
        return self.column is not None

    @property
    def writable(self) -> bool:
        return self.write is not None

    @property
    def nullable(self) -> bool:
        """A stored value may be missing (so PATCH may set it to null)."""
        return self.default is None

    @property
    def required(self) -> bool:
        """A write must give it (a form marks it required)."""
        return self.default is REQUIRED

    @property
    def max_length(self) -> int | None:
        length = getattr(self.column, "length", None)
        return int(length) if length else None


FIELDS: tuple[EventField, ...] = (
    EventField(
        "title",
        str,
        Title,
        column=String(300),
        label="Title",
        group="what",
        hint="One line: who did what.",
    ),
    EventField(
        "summary",
        str,
        Summary,
        default="",
        column=String(1000),
        label="Summary",
        group="what",
        widget="textarea",
        hint="One or two sentences.",
    ),
    EventField(
        "body",
        str,
        Body,
        default="",
        column=Text,
        label="Text",
        group="what",
        widget="textarea",
        hint="Optional: more detail, in plain paragraphs.",
    ),
    EventField(
        "kind",
        str,
        EventKind,
        column=String(20),
        label="Kind",
        group="what",
        widget="select",
        choices=EVENT_KINDS,
    ),
    EventField(
        "status",
        str,
        EventStatus,
        default="held",
        column=String(20),
        label="Status",
        group="what",
        widget="select",
        choices=EVENT_STATUSES,
        hint="Held if it happened; otherwise what is planned.",
        index=True,
    ),
    EventField(
        "display_status",
        str,
        description="The status as readers see it: a planned date that has passed without "
        "an update reads 'awaiting confirmation'.",
    ),
    EventField("awaiting_confirmation", bool),
    EventField(
        "start_date",
        dt.date,
        Day,
        column=Date,
        label="Start date",
        group="when",
        widget="date",
        hint="YYYY-MM-DD",
    ),
    EventField(
        "start_time",
        LocalTime | None,
        LocalTime | None,
        default=None,
        column=Time,
        label="Start time",
        group="when",
        widget="time",
        hint="Optional, 24-hour",
    ),
    EventField(
        "end_date",
        dt.date | None,
        Day | None,
        default=None,
        column=Date,
        label="End date",
        group="when",
        widget="date",
        hint="For events over several days",
    ),
    EventField(
        "end_time",
        LocalTime | None,
        LocalTime | None,
        default=None,
        column=Time,
        label="End time",
        group="when",
        widget="time",
        hint="Optional",
    ),
    EventField(
        "date_precision",
        str,
        DatePrecision,
        default="day",
        column=String(10),
        label="Date precision",
        group="when",
        widget="select",
        choices=DATE_PRECISIONS,
        hint="Known to the day, or only the month or year?",
    ),
    EventField(
        "date_approximate",
        bool,
        bool,
        default=False,
        column=Boolean,
        label="Approximate date",
        group="when",
        widget="checkbox",
        hint="The date is approximate (“last week”, “around”)",
    ),
    EventField(
        "date_label",
        str,
        description='The date as a person reads it: "Jan 23–24, 2026".',
    ),
    EventField(
        "timezone",
        str | None,
        TimeZone | None,
        default=None,
        column=String(64),
        label="Time zone",
        group="when",
        widget="timezone",
        hint="Such as Asia/Dubai; empty means the place’s.",
    ),
    EventField("place", PlaceRef | None, Slug | None, default=None, label="Place"),
    EventField("series", SeriesRef | None, Slug | None, default=None, label="Series"),
    EventField(
        "round",
        int | None,
        Annotated[int, Field(ge=1, le=10_000)] | None,
        default=None,
        column=Integer,
        label="Round",
        group="where",
        widget="number",
        hint="Its number in the series.",
    ),
    EventField(
        "participants",
        list[ParticipantRead],
        Annotated[list[ParticipantIn], Field(max_length=200)],
        default=list,
        label="Participants",
    ),
    EventField(
        "sources",
        list[CitationRead],
        Annotated[list[CitationIn], Field(max_length=200)],
        default=list,
        label="Sources",
    ),
    EventField(
        "media",
        list[MediaRead],
        Annotated[list[MediaIn], Field(max_length=MAX_MEDIA)],
        default=list,
        label="Images",
        description="Images uploaded with POST /api/v1/media, each with its alt text, "
        "credit and caption as this event shows it.",
    ),
    EventField(
        "tags",
        list[TagRead],
        Annotated[list[Slug], Field(max_length=100)],
        default=list,
        label="Tags",
    ),
    EventField(
        "links",
        list[LinkRead],
        Annotated[list[LinkIn], Field(max_length=100)],
        default=list,
        label="Links",
        description="Links from this event to others.",
    ),
    EventField("linked_from", list[LinkRead], description="Links from other events to this one."),
)

BY_NAME = {field.name: field for field in FIELDS}
#: The fields a write takes, in order: what a revision's snapshot holds.
WRITE_FIELDS = tuple(field.name for field in FIELDS if field.writable)
#: The fields stored as written (the rest name other records or are computed).
PLAIN_FIELDS = tuple(field for field in FIELDS if field.plain)
#: Plain fields every event has a value for: PATCH may leave them out but not set them to null
#: (a null list of participants, sources, tags or links empties it).
NOT_NULL = tuple(field.name for field in PLAIN_FIELDS if not field.nullable)


#: Inputs narrow enough to stand two to a row in the form.
SHORT_WIDGETS = ("select", "date", "time", "number", "timezone")


def input_rows(group: str) -> list[list[EventField]]:
    """The plain inputs of one part of the editing form, in order, as the rows it shows:
    short inputs side by side in pairs (a short one waits for its partner while a wide one
    takes a row of its own)."""
    rows: list[list[EventField]] = []
    waiting: list[EventField] | None = None
    for field in PLAIN_FIELDS:
        if field.group != group:
            continue
        if field.widget not in SHORT_WIDGETS:
            rows.append([field])
        elif waiting is None:
            waiting = [field]
            rows.append(waiting)
        else:
            waiting.append(field)
            waiting = None
    return rows
