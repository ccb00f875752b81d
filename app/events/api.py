"""The /api/v1/events routes: thin wrappers that parse, call the service and answer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from sqlalchemy import select

from app.api_common import (
    READ,
    WRITE,
    etag,
    expected_version,
    parse_etags,
    problems,
    refuse_nulls,
    with_headers,
)
from app.api_common import reason_header as _reason_header
from app.auth import Author
from app.deps import SessionDep
from app.errors import InvalidInput
from app.events import service
from app.events.models import EVENT_KINDS, EVENT_STATUSES, Event
from app.events.schemas import (
    EventCreate,
    EventPage,
    EventRead,
    EventReplace,
    EventUpdate,
    RevisionRead,
    RevisionSummary,
)
from app.events.service import EventFilters
from app.schemas import ReadModel
from app.search import MAX_QUERY_LENGTH

router = APIRouter(prefix="/api/v1/events", tags=["events"])

Reason = Annotated[str | None, Depends(_reason_header)]
IfMatch = Annotated[
    str | None,
    Header(description='The ETag of the version you edited: `"slug-v3"` (required).'),
]
IfNoneMatch = Annotated[
    str | None, Header(description="An ETag you hold: answers 304 when it is still current.")
]
SlugPath = Annotated[str, Path(max_length=120, description="The event's slug.")]
VersionPath = Annotated[int, Path(ge=1, le=2_000_000_000, description="A revision number.")]

_REPEATABLE = "Repeat the parameter, or separate slugs with commas; any of them matches."


def _many(values: list[str] | None) -> list[str]:
    """Repeated parameters, each of which may itself be a comma-separated list."""
    out: list[str] = []
    for value in values or []:
        out += [part.strip() for part in value.split(",") if part.strip()]
    return list(dict.fromkeys(out))


def _one_of(name: str, values: list[str], allowed: tuple[str, ...]) -> list[str]:
    for value in values:
        if value not in allowed:
            raise InvalidInput.field(
                ["query", name], f"{value!r} is not one of {', '.join(allowed)}"
            )
    return values


def _slugs(name: str, values: list[str]) -> list[str]:
    for value in values:
        if len(value) > 120:
            raise InvalidInput.field(["query", name], "a slug is at most 120 characters")
    if len(values) > 100:
        raise InvalidInput.field(["query", name], "at most 100 values")
    return values


#: Fields every event has: PATCH may leave them out but not set them to null.
_REQUIRED = (
    "title",
    "summary",
    "body",
    "kind",
    "status",
    "start_date",
    "date_precision",
    "date_approximate",
)


class RevisionList(ReadModel):
    items: list[RevisionSummary]


def _with_etag(response: Response, event: Event) -> None:
    response.headers["ETag"] = etag(event.version, event.slug)


@router.get(
    "",
    response_model=EventPage,
    summary="List events",
    description="Events in date order (or by relevance to `q`), one page at a time. "
    'Follow `next_cursor` (or the `Link: rel="next"` header) for the next page; '
    "a walk visits every matching event once, even while events are added.",
    responses=problems(*READ),
)
def list_events(
    request: Request,
    response: Response,
    session: SessionDep,
    from_: Annotated[
        dt.date | None,
        Query(alias="from", description="Events on or after this date (ranges that overlap it)."),
    ] = None,
    to: Annotated[dt.date | None, Query(description="Events starting on or before it.")] = None,
    kind: Annotated[
        list[str] | None, Query(description=f"{', '.join(EVENT_KINDS)}. {_REPEATABLE}")
    ] = None,
    status: Annotated[
        list[str] | None, Query(description=f"{', '.join(EVENT_STATUSES)}. {_REPEATABLE}")
    ] = None,
    actor: Annotated[
        list[str] | None,
        Query(
            description="Actor slugs; a state also matches the events of the people "
            f"and delegations affiliated to it. {_REPEATABLE}"
        ),
    ] = None,
    place: Annotated[list[str] | None, Query(description=f"Place slugs. {_REPEATABLE}")] = None,
    series: Annotated[list[str] | None, Query(description=f"Series slugs. {_REPEATABLE}")] = None,
    tag: Annotated[list[str] | None, Query(description=f"Tag slugs. {_REPEATABLE}")] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=MAX_QUERY_LENGTH,
            description="Words to search for in titles, summaries, bodies, quotes and the "
            "names and aliases of actors and places; every word must match, as a prefix.",
        ),
    ] = None,
    updated_since: Annotated[
        dt.datetime | None,
        Query(description="Only events changed at or after this time (UTC if no offset)."),
    ] = None,
    include_deleted: Annotated[
        bool,
        Query(description="Also list deleted events (with `deleted_at` set), to sync deletions."),
    ] = False,
    order: Annotated[
        Literal["asc", "desc", "relevance"],
        Query(description="By date (`asc`, `desc`), or best match first (`relevance`, with q)."),
    ] = "asc",
    limit: Annotated[int, Query(ge=1, le=500, description="Events per page.")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=500, description="`next_cursor` of the previous page.")
    ] = None,
) -> EventPage:
    if from_ and to and to < from_:
        raise InvalidInput.field(["query", "to"], f"'to' ({to}) is before 'from' ({from_})")
    if updated_since is not None and updated_since.tzinfo is None:
        updated_since = updated_since.replace(tzinfo=dt.UTC)
    filters = EventFilters(
        from_date=from_,
        to_date=to,
        kinds=_one_of("kind", _many(kind), EVENT_KINDS),
        statuses=_one_of("status", _many(status), EVENT_STATUSES),
        actors=_slugs("actor", _many(actor)),
        places=_slugs("place", _many(place)),
        series=_slugs("series", _many(series)),
        tags=_slugs("tag", _many(tag)),
        q=q,
        updated_since=updated_since,
        include_deleted=include_deleted,
    )
    service.check_references(session, filters)
    page = service.list_events(session, filters=filters, order=order, limit=limit, cursor=cursor)
    if page.next_cursor:
        next_url = request.url.include_query_params(cursor=page.next_cursor)
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return EventPage(items=[service.to_read(e) for e in page.items], next_cursor=page.next_cursor)


@router.post(
    "",
    response_model=EventRead,
    status_code=201,
    summary="Create an event",
    description="Related records are named by slug. Answers 201 with `Location` and `ETag`.",
    responses=with_headers(problems(*WRITE), 201, location=True),
)
def create_event(
    data: EventCreate, response: Response, session: SessionDep, author: Author, reason: Reason
) -> EventRead:
    event = service.create(session, data=data, author=author, reason=reason)
    response.headers["Location"] = f"/api/v1/events/{event.slug}"
    _with_etag(response, event)
    return service.to_read(event)


@router.get(
    "/{slug}",
    response_model=EventRead,
    summary="One event",
    description="With an `ETag`; a deleted event answers 410 with what it was.",
    responses=with_headers(problems(304, 404, 410, *READ), 200),
)
def get_event(
    slug: SlugPath,
    response: Response,
    session: SessionDep,
    if_none_match: IfNoneMatch = None,
) -> EventRead | Response:
    event = service.get_by_slug(session, slug=slug)
    tag = etag(event.version, event.slug)
    if if_none_match is not None:
        held = parse_etags(if_none_match)
        if held is None or tag in held:
            return Response(status_code=304, headers={"ETag": tag})
    response.headers["ETag"] = tag
    return service.to_read(event)


def _current_version(session: SessionDep, slug: str) -> int | None:
    return session.scalar(select(Event.version).where(Event.slug == slug))


def _update(
    session: SessionDep,
    slug: str,
    data: EventUpdate | EventReplace,
    if_match: str | None,
    author: str,
    reason: str | None,
    response: Response,
) -> EventRead:
    """PATCH and PUT: check If-Match against the stored version, save, answer the new ETag."""
    version = expected_version(if_match, slug, _current_version(session, slug))
    event = service.update(
        session, slug=slug, data=data, expected_version=version, author=author, reason=reason
    )
    _with_etag(response, event)
    return service.to_read(event)


@router.patch(
    "/{slug}",
    response_model=EventRead,
    summary="Change some fields of an event",
    description="Only the fields given change. Needs `If-Match` with the current ETag.",
    responses=with_headers(problems(404, 410, 412, 428, *WRITE), 200),
)
def patch_event(
    slug: SlugPath,
    data: EventUpdate,
    response: Response,
    session: SessionDep,
    author: Author,
    reason: Reason,
    if_match: IfMatch = None,
) -> EventRead:
    refuse_nulls(data, *_REQUIRED)
    return _update(session, slug, data, if_match, author, reason, response)


@router.put(
    "/{slug}",
    response_model=EventRead,
    summary="Replace an event",
    description="Every field; those left out take their defaults. Needs `If-Match`.",
    responses=with_headers(problems(404, 410, 412, 428, *WRITE), 200),
)
def put_event(
    slug: SlugPath,
    data: EventReplace,
    response: Response,
    session: SessionDep,
    author: Author,
    reason: Reason,
    if_match: IfMatch = None,
) -> EventRead:
    return _update(session, slug, data, if_match, author, reason, response)


@router.delete(
    "/{slug}",
    status_code=204,
    response_class=Response,
    summary="Delete an event",
    description="A tombstone: the event then answers 410, lists skip it, and any earlier "
    "version can be restored. Needs `If-Match`.",
    responses=problems(404, 410, 412, 428, *WRITE),
)
def delete_event(
    slug: SlugPath,
    session: SessionDep,
    author: Author,
    reason: Reason,
    if_match: IfMatch = None,
) -> Response:
    version = expected_version(if_match, slug, _current_version(session, slug))
    service.delete(session, slug=slug, expected_version=version, author=author, reason=reason)
    return Response(status_code=204)


@router.get(
    "/{slug}/revisions",
    response_model=RevisionList,
    summary="The history of an event",
    description="Every change, oldest first (deleted events keep theirs).",
    responses=problems(404, *READ),
)
def list_revisions(slug: SlugPath, session: SessionDep) -> RevisionList:
    revisions = service.list_revisions(session, slug=slug)
    return RevisionList(items=[RevisionSummary.model_validate(r) for r in revisions])


@router.get(
    "/{slug}/revisions/{version}",
    response_model=RevisionRead,
    summary="One version of an event",
    description="Who changed it, when, why, and the whole event as it was after the change.",
    responses=problems(404, *READ),
)
def get_revision(slug: SlugPath, version: VersionPath, session: SessionDep) -> RevisionRead:
    return RevisionRead.model_validate(service.get_revision(session, slug=slug, version=version))


@router.post(
    "/{slug}/revisions/{version}/restore",
    response_model=EventRead,
    summary="Restore a version",
    description="Brings the event back as it was at that version (undeleting it), as a new "
    "revision. `If-Match` is optional here; when sent it must be current.",
    responses=with_headers(problems(404, 412, *WRITE), 200),
)
def restore_revision(
    slug: SlugPath,
    version: VersionPath,
    response: Response,
    session: SessionDep,
    author: Author,
    reason: Reason,
    if_match: IfMatch = None,
) -> EventRead:
    expected = (
        expected_version(if_match, slug, _current_version(session, slug)) if if_match else None
    )
    event = service.restore(
        session,
        slug=slug,
        version=version,
        author=author,
        reason=reason,
        expected_version=expected,
    )
    _with_etag(response, event)
    return service.to_read(event)
