"""The /api/v1/tags routes: list, read, create and rename topics."""

from __future__ import annotations

from fastapi import APIRouter

from app.common.api import READ, problems
from app.common.routes import Doc, Record, add_record_routes
from app.common.schemas import ReadModel
from app.core.deps import SessionDep
from app.tags import service
from app.tags.schemas import TagCreate, TagRead, TagUpdate
from app.users.deps import Author

router = APIRouter(prefix="/api/v1/tags", tags=["tags"])


class TagList(ReadModel):
    items: list[TagRead]


@router.get("", response_model=TagList, summary="List tags", responses=problems(*READ))
def list_tags(session: SessionDep) -> TagList:
    return TagList(items=[TagRead.model_validate(t) for t in service.get_all(session)])


add_record_routes(
    router,
    Record(
        name="tag",
        plural="tags",
        read=TagRead,
        create_schema=TagCreate,
        update_schema=TagUpdate,
        get=service.get_by_slug,
        create=service.create,
        update=service.update,
        not_null=("name",),
        create_doc=Doc("Create a tag"),
        get_doc=Doc("One tag"),
        patch_doc=Doc("Rename a tag"),
    ),
    Author,
)
