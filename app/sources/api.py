"""The /api/v1/sources routes: sources by id (their URL is unique), read, create and change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.api_common import READ, WRITE, problems, refuse_nulls
from app.auth import Author
from app.deps import SessionDep
from app.schemas import ReadModel
from app.sources import service
from app.sources.schemas import SourceCreate, SourceRead, SourceUpdate

router = APIRouter(prefix="/api/v1/sources", tags=["sources"])

SourceId = Annotated[int, Path(ge=1, le=2_000_000_000, description="The source's id.")]


class SourceWithId(SourceRead):
    id: int


class SourceList(ReadModel):
    items: list[SourceWithId]


@router.get(
    "",
    response_model=SourceList,
    summary="List sources",
    description="In order of publication; `url` finds the one source with that URL.",
    responses=problems(*READ),
)
def list_sources(
    session: SessionDep,
    url: Annotated[str | None, Query(max_length=2000, description="An exact URL.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 500,
) -> SourceList:
    if url is not None:
        found = service.find_by_url(session, url=url)
        return SourceList(items=[SourceWithId.model_validate(found)] if found else [])
    sources = service.get_all(session, limit=limit)
    return SourceList(items=[SourceWithId.model_validate(s) for s in sources])


@router.post(
    "",
    response_model=SourceWithId,
    status_code=201,
    summary="Create a source",
    description="A URL can be listed once; a second create with it is a 422 on `url`.",
    responses=problems(*WRITE),
)
def create_source(
    data: SourceCreate, response: Response, session: SessionDep, author: Author
) -> SourceWithId:
    source = service.create(session, data=data)
    response.headers["Location"] = f"/api/v1/sources/{source.id}"
    return SourceWithId.model_validate(source)


@router.get(
    "/{source_id}",
    response_model=SourceWithId,
    summary="One source",
    responses=problems(404, *READ),
)
def get_source(source_id: SourceId, session: SessionDep) -> SourceWithId:
    return SourceWithId.model_validate(service.get(session, source_id=source_id))


@router.patch(
    "/{source_id}",
    response_model=SourceWithId,
    summary="Change a source",
    description="Its URL stays; publisher, title, date and language may change.",
    responses=problems(404, *WRITE),
)
def patch_source(
    source_id: SourceId, data: SourceUpdate, session: SessionDep, author: Author
) -> SourceWithId:
    refuse_nulls(data, "publisher")
    return SourceWithId.model_validate(service.update(session, source_id=source_id, data=data))
