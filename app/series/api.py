"""The /api/v1/series routes: list, read, create and change a thread of rounds."""

from __future__ import annotations

from fastapi import APIRouter

from app.common.api import READ, problems
from app.common.routes import Doc, Record, add_record_routes
from app.common.schemas import ReadModel
from app.core.deps import SessionDep
from app.series import service
from app.series.schemas import SeriesCreate, SeriesRead, SeriesUpdate
from app.users.deps import Author

router = APIRouter(prefix="/api/v1/series", tags=["series"])


class SeriesList(ReadModel):
    items: list[SeriesRead]


@router.get("", response_model=SeriesList, summary="List series", responses=problems(*READ))
def list_series(session: SessionDep) -> SeriesList:
    return SeriesList(items=[SeriesRead.model_validate(s) for s in service.get_all(session)])


add_record_routes(
    router,
    Record(
        name="series",
        plural="series",
        read=SeriesRead,
        create_schema=SeriesCreate,
        update_schema=SeriesUpdate,
        get=service.get_by_slug,
        create=service.create,
        update=service.update,
        not_null=("title",),
        create_doc=Doc("Create a series"),
        get_doc=Doc("One series"),
        patch_doc=Doc("Change a series"),
    ),
    Author,
)
