"""The /api/v1/actors routes: find by name or alias, read, create and change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.actors import service
from app.actors.models import ActorKind
from app.actors.schemas import ActorCreate, ActorRead, ActorUpdate
from app.common.api import READ, problems
from app.common.routes import Doc, Record, add_record_routes
from app.common.schemas import ReadModel, WholeNumber
from app.core.deps import SessionDep
from app.users.deps import Author

router = APIRouter(prefix="/api/v1/actors", tags=["actors"])


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
    kind: Annotated[ActorKind | None, Query()] = None,
    limit: Annotated[WholeNumber, Query(ge=1, le=500)] = 500,
) -> ActorList:
    actors = service.get_all(session, q=q, kind=kind, limit=limit)
    return ActorList(items=[ActorRead.model_validate(a) for a in actors])


add_record_routes(
    router,
    Record(
        name="actor",
        plural="actors",
        read=ActorRead,
        create_schema=ActorCreate,
        update_schema=ActorUpdate,
        get=service.get_by_slug,
        create=service.create,
        update=service.update,
        not_null=("name", "kind"),
        create_doc=Doc(
            "Create an actor",
            "`affiliation` names the side the actor speaks for, by slug.",
        ),
        get_doc=Doc("One actor"),
        patch_doc=Doc(
            "Change an actor",
            "Only the fields given change; a new name or alias is searchable at once.",
        ),
    ),
    Author,
)
