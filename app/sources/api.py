"""The /api/v1/sources routes: sources by id (their URL is unique), read, create and change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.common.api import READ, problems
from app.common.routes import Doc, Record, add_record_routes
from app.common.schemas import ReadModel, WholeNumber
from app.core.deps import SessionDep
from app.sources import service
from app.sources.schemas import SourceCreate, SourceRead, SourceUpdate
from app.users.deps import Author

router = APIRouter(prefix="/api/v1/sources", tags=["sources"])


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
    limit: Annotated[WholeNumber, Query(ge=1, le=500)] = 500,
) -> SourceList:
    if url is not None:
        found = service.find_by_url(session, url=url)
        return SourceList(items=[SourceWithId.model_validate(found)] if found else [])
    sources = service.get_all(session, limit=limit)
    return SourceList(items=[SourceWithId.model_validate(s) for s in sources])


add_record_routes(
    router,
    Record(
        name="source",
        plural="sources",
        read=SourceWithId,
        create_schema=SourceCreate,
        update_schema=SourceUpdate,
        get=service.get,
        create=service.create,
        update=service.update,
        key="source_id",
        key_of=lambda source: source.id,
        not_null=("publisher",),
        create_doc=Doc(
            "Create a source",
            "A URL can be listed once; a second create with it is a 422 on `url`.",
        ),
        get_doc=Doc("One source"),
        patch_doc=Doc(
            "Change a source",
            "Its URL stays; publisher, title, date and language may change.",
        ),
    ),
    Author,
)
