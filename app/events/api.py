"""The /api/v1/events routes: thin wrappers that parse, call the service and answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Concatenate, NamedTuple, ParamSpec

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic_core import to_json
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.common.api import (
    READ,
    WRITE,
    etag,
    expected_version,
    parse_etags,
    problems,
    refuse_nulls,
    with_headers,
)
from app.common.api import reason_header as _reason_header
from app.common.schemas import ReadModel, WholeNumber
from app.common.slugs import SLUG_LENGTH
from app.core.deps import SessionDep, read_in_session, write_together
from app.events import documents, listing, reading, revisions, service
from app.events.fields import NOT_NULL
from app.events.models import Event
from app.events.query import EventPageQuery
from app.events.schemas import (
    EventCreate,
    EventPage,
    EventRead,
    EventReplace,
    EventUpdate,
    RevisionRead,
    RevisionSummary,
)
from app.users.deps import ApiSecret, author_of

router = APIRouter(prefix="/api/v1/events", tags=["events"])
P = ParamSpec("P")

Reason = Annotated[str | None, Depends(_reason_header)]
IfMatch = Annotated[
    str | None,
    Header(description='The ETag of the version you edited: `"slug-v3"` (required).'),
]
IfNoneMatch = Annotated[
    str | None, Header(description="An ETag you hold: answers 304 when it is still current.")
]
SlugPath = Annotated[str, Path(max_length=SLUG_LENGTH, description="The event's slug.")]
VersionPath = Annotated[WholeNumber, Path(ge=1, le=2_000_000_000, description="A revision number.")]


class RevisionList(ReadModel):
    items: list[RevisionSummary]


@router.get(
    "",
    response_model=EventPage,
    summary="List events",
    description="Events in date order (or by relevance to `q`), one page at a time. "
    'Follow `next_cursor` (or the `Link: rel="next"` header) for the next page; '
    "a walk visits every matching event once, even while events are added.",
    responses=problems(*READ),
)
async def list_events(
    request: Request,
    query: Annotated[EventPageQuery, Query()],
) -> Response:
    # The page is its events' stored answers joined as bytes: the bytes `EventPage` would
    # serialize to (tests/events/test_documents.py compares them with the schemas' own).
    body, next_cursor = await read_in_session(request, _page_bytes, query)
    response = Response(body, media_type="application/json")
    if next_cursor:
        next_url = request.url.include_query_params(cursor=next_cursor)
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response


def _page_bytes(session: Session, query: EventPageQuery) -> tuple[bytes, str | None]:
    filters = query.filters()
    listing.check_references(session, filters)
    ids, next_cursor = listing.page_ids(
        session, filters=filters, order=query.order, limit=query.limit, cursor=query.cursor
    )
    body = b'{"items":[%b],"next_cursor":%b}' % (
        b",".join(documents.answers(session, ids)),
        to_json(next_cursor),
    )
    return body, next_cursor


@router.post(
    "",
    response_model=EventRead,
    status_code=201,
    summary="Create an event",
    description="Related records are named by slug. Answers 201 with `Location` and `ETag`.",
    responses=with_headers(problems(*WRITE), 201, location=True),
)
async def create_event(
    request: Request, data: EventCreate, secret: ApiSecret, reason: Reason
) -> Response:
    return await _written(request, 201, _create, data, secret, reason)


def _create(session: Session, data: EventCreate, secret: str, reason: str | None) -> Written:
    author = author_of(session, secret)
    return _answer(service.create(session, data=data, author=author, reason=reason))


class Written(NamedTuple):
    """What a write answers: the event's slug, its new ETag, and the event as it now is."""

    slug: str
    etag: str
    body: bytes


def _answer(event: Event) -> Written:
    # The bytes FastAPI would make of the event's `EventRead` (tests/events/test_documents.py),
    # made once: returned as an `EventRead`, FastAPI would dump it, validate the dump against
    # the response model and serialize that.
    return Written(event.slug, etag(event.version, event.slug), documents.answer_bytes(event))


async def _written(
    request: Request,
    status_code: int,
    work: Callable[Concatenate[Session, P], Written],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> Response:
    """Run a write with the others that wait (`write_together`); its answer, with its ETag
    (and, for a new event (201), its `Location`)."""
    answer = await write_together(request, work, *args, **kwargs)
    headers = {"ETag": answer.etag}
    if status_code == 201:
        headers["Location"] = f"/api/v1/events/{answer.slug}"
    return Response(answer.body, status_code, headers, media_type="application/json")


@router.get(
    "/{slug}",
    response_model=EventRead,
    summary="One event",
    description="With an `ETag`; a deleted event answers 410 with what it was.",
    responses=with_headers(problems(304, 404, 410, *READ), 200),
)
async def get_event(
    request: Request,
    slug: SlugPath,
    if_none_match: IfNoneMatch = None,
) -> Response:
    return await read_in_session(request, _event_answer, slug, if_none_match)


def _event_answer(session: Session, slug: str, if_none_match: str | None) -> Response:
    row = documents.by_slug(session, slug)
    if row is None or row.deleted_at is not None:
        reading.get_by_slug(session, slug=slug)  # raises: not found, or gone with what it was
    assert row is not None
    tag = etag(row.version, slug)
    if if_none_match is not None:
        held = parse_etags(if_none_match)
        if held is None or tag in held:
            return Response(status_code=304, headers={"ETag": tag})
    body = documents.answer_of(session, row)
    return Response(body, media_type="application/json", headers={"ETag": tag})


_CURRENT_VERSION = select(Event.version).where(Event.slug == bindparam("slug"))


def _current_version(session: Session, slug: str) -> int | None:
    version: int | None = session.connection().scalar(_CURRENT_VERSION, {"slug": slug})
    return version


def _update(
    session: Session,
    slug: str,
    data: EventUpdate | EventReplace,
    if_match: str | None,
    secret: str,
    reason: str | None,
) -> Written:
    """PATCH and PUT: check If-Match against the stored version, save; the new ETag."""
    author = author_of(session, secret)
    version = expected_version(if_match, slug, _current_version(session, slug))
    event = service.update(
        session, slug=slug, data=data, expected_version=version, author=author, reason=reason
    )
    return _answer(event)


@router.patch(
    "/{slug}",
    response_model=EventRead,
    summary="Change some fields of an event",
    description="Only the fields given change. Needs `If-Match` with the current ETag.",
    responses=with_headers(problems(404, 410, 412, 428, *WRITE), 200),
)
async def patch_event(
    request: Request,
    slug: SlugPath,
    data: EventUpdate,
    secret: ApiSecret,
    reason: Reason,
    if_match: IfMatch = None,
) -> Response:
    refuse_nulls(data, *NOT_NULL)
    return await _written(request, 200, _update, slug, data, if_match, secret, reason)


@router.put(
    "/{slug}",
    response_model=EventRead,
    summary="Replace an event",
    description="Every field; those left out take their defaults. Needs `If-Match`.",
    responses=with_headers(problems(404, 410, 412, 428, *WRITE), 200),
)
async def put_event(
    request: Request,
    slug: SlugPath,
    data: EventReplace,
    secret: ApiSecret,
    reason: Reason,
    if_match: IfMatch = None,
) -> Response:
    return await _written(request, 200, _update, slug, data, if_match, secret, reason)


@router.delete(
    "/{slug}",
    status_code=204,
    response_class=Response,
    summary="Delete an event",
    description="A tombstone: the event then answers 410, lists skip it, and any earlier "
    "version can be restored. Needs `If-Match`.",
    responses=problems(404, 410, 412, 428, *WRITE),
)
async def delete_event(
    request: Request,
    slug: SlugPath,
    secret: ApiSecret,
    reason: Reason,
    if_match: IfMatch = None,
) -> Response:
    await write_together(request, _delete, slug, if_match, secret, reason)
    return Response(status_code=204)


def _delete(
    session: Session, slug: str, if_match: str | None, secret: str, reason: str | None
) -> None:
    author = author_of(session, secret)
    version = expected_version(if_match, slug, _current_version(session, slug))
    service.delete(session, slug=slug, expected_version=version, author=author, reason=reason)


@router.get(
    "/{slug}/revisions",
    response_model=RevisionList,
    summary="The history of an event",
    description="Every change, oldest first (deleted events keep theirs).",
    responses=problems(404, *READ),
)
def list_revisions(slug: SlugPath, session: SessionDep) -> RevisionList:
    history = revisions.list_revisions(session, slug=slug)
    return RevisionList(items=[RevisionSummary.model_validate(r) for r in history])


@router.get(
    "/{slug}/revisions/{version}",
    response_model=RevisionRead,
    summary="One version of an event",
    description="Who changed it, when, why, and the whole event as it was after the change.",
    responses=problems(404, *READ),
)
def get_revision(slug: SlugPath, version: VersionPath, session: SessionDep) -> RevisionRead:
    return RevisionRead.model_validate(revisions.get_revision(session, slug=slug, version=version))


@router.post(
    "/{slug}/revisions/{version}/restore",
    response_model=EventRead,
    summary="Restore a version",
    description="Brings the event back as it was at that version (undeleting it), as a new "
    "revision. `If-Match` is optional here; when sent it must be current.",
    responses=with_headers(problems(404, 412, *WRITE), 200),
)
async def restore_revision(
    request: Request,
    slug: SlugPath,
    version: VersionPath,
    secret: ApiSecret,
    reason: Reason,
    if_match: IfMatch = None,
) -> Response:
    return await _written(request, 200, _restore, slug, version, if_match, secret, reason)


def _restore(
    session: Session,
    slug: str,
    version: int,
    if_match: str | None,
    secret: str,
    reason: str | None,
) -> Written:
    author = author_of(session, secret)
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
    return _answer(event)
