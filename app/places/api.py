"""The /api/v1/places routes: find by name or alias, read, create and change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.common.api import READ, problems
from app.common.routes import Doc, Record, add_record_routes
from app.common.schemas import ReadModel, WholeNumber
from app.core.deps import SessionDep
from app.places import service
from app.places.schemas import PlaceCreate, PlaceRead, PlaceUpdate
from app.users.deps import Author

router = APIRouter(prefix="/api/v1/places", tags=["places"])


class PlaceList(ReadModel):
    items: list[PlaceRead]


@router.get(
    "",
    response_model=PlaceList,
    summary="List places",
    description="By name; `q` finds by name or alias (`Kiev` finds Kyiv).",
    responses=problems(*READ),
)
def list_places(
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200, description="Part of a name or alias.")] = None,
    limit: Annotated[WholeNumber, Query(ge=1, le=500)] = 500,
) -> PlaceList:
    places = service.get_all(session, q=q, limit=limit)
    return PlaceList(items=[PlaceRead.model_validate(p) for p in places])


add_record_routes(
    router,
    Record(
        name="place",
        plural="places",
        read=PlaceRead,
        create_schema=PlaceCreate,
        update_schema=PlaceUpdate,
        get=service.get_by_slug,
        create=service.create,
        update=service.update,
        not_null=("name", "aliases"),
        create_doc=Doc("Create a place"),
        get_doc=Doc("One place"),
        patch_doc=Doc(
            "Change a place",
            "Only the fields given change; a new name or alias is searchable at once.",
        ),
    ),
    Author,
)
