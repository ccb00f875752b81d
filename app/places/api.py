"""The /api/v1/places routes: find by name or alias, read, create and change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.api_common import READ, WRITE, problems, refuse_nulls
from app.auth import Author
from app.deps import SessionDep
from app.places import service
from app.places.schemas import PlaceCreate, PlaceRead, PlaceUpdate
from app.schemas import ReadModel

router = APIRouter(prefix="/api/v1/places", tags=["places"])

SlugPath = Annotated[str, Path(max_length=120, description="The place's slug.")]


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
    limit: Annotated[int, Query(ge=1, le=500)] = 500,
) -> PlaceList:
    places = service.get_all(session, q=q, limit=limit)
    return PlaceList(items=[PlaceRead.model_validate(p) for p in places])


@router.post(
    "",
    response_model=PlaceRead,
    status_code=201,
    summary="Create a place",
    responses=problems(*WRITE),
)
def create_place(
    data: PlaceCreate, response: Response, session: SessionDep, author: Author
) -> PlaceRead:
    place = service.create(session, data=data)
    response.headers["Location"] = f"/api/v1/places/{place.slug}"
    return PlaceRead.model_validate(place)


@router.get(
    "/{slug}", response_model=PlaceRead, summary="One place", responses=problems(404, *READ)
)
def get_place(slug: SlugPath, session: SessionDep) -> PlaceRead:
    return PlaceRead.model_validate(service.get_by_slug(session, slug=slug))


@router.patch(
    "/{slug}",
    response_model=PlaceRead,
    summary="Change a place",
    description="Only the fields given change; a new name or alias is searchable at once.",
    responses=problems(404, *WRITE),
)
def patch_place(
    slug: SlugPath, data: PlaceUpdate, session: SessionDep, author: Author
) -> PlaceRead:
    refuse_nulls(data, "name", "aliases")
    return PlaceRead.model_validate(service.update(session, slug=slug, data=data))
