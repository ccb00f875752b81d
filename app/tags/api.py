"""The /api/v1/tags routes: list, read, create and rename topics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.api_common import READ, WRITE, problems, refuse_nulls
from app.auth import Author
from app.deps import SessionDep
from app.schemas import ReadModel
from app.tags import service
from app.tags.schemas import TagCreate, TagRead, TagUpdate

router = APIRouter(prefix="/api/v1/tags", tags=["tags"])

SlugPath = Annotated[str, Path(max_length=120, description="The tag's slug.")]


class TagList(ReadModel):
    items: list[TagRead]


@router.get("", response_model=TagList, summary="List tags", responses=problems(*READ))
def list_tags(session: SessionDep) -> TagList:
    return TagList(items=[TagRead.model_validate(t) for t in service.get_all(session)])


@router.post(
    "", response_model=TagRead, status_code=201, summary="Create a tag", responses=problems(*WRITE)
)
def create_tag(data: TagCreate, response: Response, session: SessionDep, author: Author) -> TagRead:
    tag = service.create(session, data=data)
    response.headers["Location"] = f"/api/v1/tags/{tag.slug}"
    return TagRead.model_validate(tag)


@router.get("/{slug}", response_model=TagRead, summary="One tag", responses=problems(404, *READ))
def get_tag(slug: SlugPath, session: SessionDep) -> TagRead:
    return TagRead.model_validate(service.get_by_slug(session, slug=slug))


@router.patch(
    "/{slug}", response_model=TagRead, summary="Rename a tag", responses=problems(404, *WRITE)
)
def patch_tag(slug: SlugPath, data: TagUpdate, session: SessionDep, author: Author) -> TagRead:
    refuse_nulls(data, "name")
    return TagRead.model_validate(service.update(session, slug=slug, data=data))
