"""The export routes under /api/v1: each checks the filters first (a slug that names nothing
is a 422 before any byte is sent), then streams every matching event."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import Field

from app.common.api import READ, problems
from app.common.schemas import WholeNumber
from app.core.database import Database
from app.core.deps import SessionDep
from app.events import listing
from app.events.listing import EventFilters
from app.events.query import EventQuery
from app.exports import calendar, feed, spreadsheet, timelinejs
from app.exports.events_json import ndjson
from app.exports.site import Site
from app.exports.walk import Render, RenderRows, rendered, rendered_rows

router = APIRouter(prefix="/api/v1", tags=["exports"])


class ExportQuery(EventQuery):
    """The list's filters, for formats that publish only what is current."""

    include_deleted: Literal[False] = Field(
        False, description="Not on this format: deleted events are never published here."
    )


class TimelineJSQuery(ExportQuery):
    group: Literal["kind", "side", "none"] = Field(
        "kind", description="Group the slides by the event's kind, by side, or not at all."
    )


class FeedQuery(ExportQuery):
    limit: WholeNumber = Field(
        feed.DEFAULT_ENTRIES, ge=1, le=feed.MAX_ENTRIES, description="How many revisions."
    )


class CsvResponse(StreamingResponse):
    media_type = "text/csv; charset=utf-8"


class NdjsonResponse(StreamingResponse):
    media_type = "application/x-ndjson"


class CalendarResponse(StreamingResponse):
    media_type = "text/calendar; charset=utf-8"


class TimelineJSResponse(StreamingResponse):
    media_type = "application/json"


class AtomResponse(Response):
    media_type = "application/atom+xml"


def _answers(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI: the format's own content type for a 200, problem+json for the rest."""
    # JSON is described as the object it is; every other format as the text it is.
    schema = {"type": "object"} if media_type == "application/json" else {"type": "string"}
    ok = {"description": description, "content": {media_type: {"schema": schema}}}
    return {200: ok, **problems(*READ)}


def _checked(session: SessionDep, query: EventQuery) -> EventFilters:
    filters = query.filters()
    listing.check_references(session, filters)
    return filters


def _stream(
    request: Request, filters: EventFilters, render: Render, head: bytes, tail: bytes
) -> Iterator[bytes]:
    database: Database = request.app.state.db
    yield head
    yield from rendered(database, filters, render)
    yield tail


def _stream_rows(
    request: Request, filters: EventFilters, render: RenderRows, head: bytes = b""
) -> Iterator[bytes]:
    database: Database = request.app.state.db
    if head:
        yield head
    yield from rendered_rows(database, filters, render)


_DESCRIPTION = (
    " Takes the filters of `GET /api/v1/events` and streams every matching event, in date "
    "order, with no page limit; deleted events are left out."
)


@router.get(
    "/events.csv",
    response_class=CsvResponse,
    summary="Events as CSV",
    description="RFC 4180, UTF-8 with a byte order mark, a header row, CRLF line ends; lists "
    "are `; `-joined, participants as `actor:role`, sources as URLs; a cell that would start "
    "a spreadsheet formula (`= + - @`) begins with `'`." + _DESCRIPTION,
    responses=_answers("text/csv", "The events, one row each."),
)
def export_events_csv(
    request: Request, session: SessionDep, query: Annotated[ExportQuery, Query()]
) -> CsvResponse:
    filters = _checked(session, query)
    body = _stream_rows(request, filters, spreadsheet.rows, spreadsheet.header())
    return CsvResponse(body, headers={"Content-Disposition": 'attachment; filename="events.csv"'})


@router.get(
    "/events.ndjson",
    response_class=NdjsonResponse,
    summary="Events as NDJSON",
    description="One event a line, each exactly the object `GET /api/v1/events/{slug}` "
    "answers. With `include_deleted=true` deleted events come too (with `deleted_at`)."
    + _DESCRIPTION.replace("; deleted events are left out", ""),
    responses=_answers("application/x-ndjson", "The events, one JSON object a line."),
)
def export_events_ndjson(
    request: Request, session: SessionDep, query: Annotated[EventQuery, Query()]
) -> NdjsonResponse:
    filters = _checked(session, query)
    return NdjsonResponse(_stream_rows(request, filters, ndjson))


@router.get(
    "/events.ics",
    response_class=CalendarResponse,
    summary="Events as a calendar",
    description="iCalendar (RFC 5545) for calendar apps to subscribe to: one VEVENT per "
    "event with a stable UID, SEQUENCE = version, whole days as DATEs (exclusive end), "
    "times with their zone." + _DESCRIPTION,
    responses=_answers("text/calendar", "The calendar."),
)
def export_events_ics(
    request: Request, session: SessionDep, query: Annotated[ExportQuery, Query()]
) -> CalendarResponse:
    filters = _checked(session, query)
    site = Site.of(request)
    body = _stream(request, filters, calendar.Entries(site), calendar.head(site), calendar.TAIL)
    return CalendarResponse(body)


@router.get(
    "/timelinejs.json",
    response_class=TimelineJSResponse,
    summary="Events for TimelineJS",
    description="The TimelineJS3 JSON format: a title slide and one slide per event, "
    "grouped by kind or side." + _DESCRIPTION,
    responses=_answers("application/json", "The TimelineJS document."),
)
def export_timelinejs(
    request: Request, session: SessionDep, query: Annotated[TimelineJSQuery, Query()]
) -> TimelineJSResponse:
    filters = _checked(session, query)
    site = Site.of(request)
    slides = timelinejs.Slides(site, query.group)
    return TimelineJSResponse(
        _stream(request, filters, slides, timelinejs.head(site), timelinejs.TAIL)
    )


@router.get(
    "/changes.atom",
    response_class=AtomResponse,
    summary="Changes as an Atom feed",
    description="Atom 1.0: the latest revisions (added, edited, deleted, restored) of the "
    "events the filters match, newest first: author, time, reason and what changed, each "
    "linking the event's history.",
    responses=_answers("application/atom+xml", "The feed."),
)
def list_changes_atom(
    request: Request, session: SessionDep, query: Annotated[FeedQuery, Query()]
) -> AtomResponse:
    filters = _checked(session, query)
    found = feed.latest(session, filters=filters, limit=query.limit)
    document = feed.document(
        found,
        Site.of(request),
        self_url=str(request.url),
        query=urlencode(sorted(request.query_params.multi_items())),
        begun=feed.begun(session),
    )
    return AtomResponse(document)
