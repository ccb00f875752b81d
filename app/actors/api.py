"""The /api/v1/actors routes: find by name or alias, read, create and change."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from app.actors import service
from app.actors.schemas import ActorCreate, ActorRead, ActorUpdate
from app.api_common import READ, WRITE, problems, refuse_nulls
from app.auth import Author
from app.deps import SessionDep
from app.schemas import ReadModel

router = APIRouter(prefix="/api/v1/actors", tags=["actors"])

SlugPath = Annotated[str, Path(max_length=120, description="The actor's slug.")]


class ActorList(ReadModel):
    items: list[ActorRead]


@router.get(
    "",
    response_model=ActorList,
    summary="List actors",
    description="By name; `q` finds by name or alias (`Zelensky` finds Zelenskyy).",
    responses=problems(*READ),
)
def list_actors(
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200, description="Part of a name or alias.")] = None,
    kind: Annotated[
        Literal["state", "person", "organization", "delegation"] | None, Query()
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 500,
) -> ActorList:
    actors = service.get_all(session, q=q, kind=kind, limit=limit)
    return ActorList(items=[ActorRead.model_validate(a) for a in actors])


@router.post(
    "",
    response_model=ActorRead,
    status_code=201,
    summary="Create an actor",
    description="`affiliation` names the side the actor speaks for, by slug.",
    responses=problems(*WRITE),
)
def create_actor(
    data: ActorCreate, response: Response, session: SessionDep, author: Author
) -> ActorRead:
    actor = service.create(session, data=data)
    response.headers["Location"] = f"/api/v1/actors/{actor.slug}"
    return ActorRead.model_validate(actor)


@router.get(
    "/{slug}",
    response_model=ActorRead,
    summary="One actor",
    responses=problems(404, *READ),
)
def get_actor(slug: SlugPath, session: SessionDep) -> ActorRead:
    return ActorRead.model_validate(service.get_by_slug(session, slug=slug))


@router.patch(
    "/{slug}",
    response_model=ActorRead,
    summary="Change an actor",
    description="Only the fields given change; a new name or alias is searchable at once.",
    responses=problems(404, *WRITE),
)
def patch_actor(
    slug: SlugPath, data: ActorUpdate, session: SessionDep, author: Author
) -> ActorRead:
    refuse_nulls(data, "name", "kind")
    return ActorRead.model_validate(service.update(session, slug=slug, data=data))
