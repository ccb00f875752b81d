"""The /api/v1/series routes: list, read, create and change a thread of rounds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.api_common import READ, WRITE, problems, refuse_nulls
from app.auth import Author
from app.deps import SessionDep
from app.schemas import ReadModel
from app.series import service
from app.series.schemas import SeriesCreate, SeriesRead, SeriesUpdate

router = APIRouter(prefix="/api/v1/series", tags=["series"])

SlugPath = Annotated[str, Path(max_length=120, description="The series' slug.")]


class SeriesList(ReadModel):
    items: list[SeriesRead]


@router.get("", response_model=SeriesList, summary="List series", responses=problems(*READ))
def list_series(session: SessionDep) -> SeriesList:
    return SeriesList(items=[SeriesRead.model_validate(s) for s in service.get_all(session)])


@router.post(
    "",
    response_model=SeriesRead,
    status_code=201,
    summary="Create a series",
    responses=problems(*WRITE),
)
def create_series(
    data: SeriesCreate, response: Response, session: SessionDep, author: Author
) -> SeriesRead:
    series = service.create(session, data=data)
    response.headers["Location"] = f"/api/v1/series/{series.slug}"
    return SeriesRead.model_validate(series)


@router.get(
    "/{slug}", response_model=SeriesRead, summary="One series", responses=problems(404, *READ)
)
def get_series(slug: SlugPath, session: SessionDep) -> SeriesRead:
    return SeriesRead.model_validate(service.get_by_slug(session, slug=slug))


@router.patch(
    "/{slug}",
    response_model=SeriesRead,
    summary="Change a series",
    responses=problems(404, *WRITE),
)
def patch_series(
    slug: SlugPath, data: SeriesUpdate, session: SessionDep, author: Author
) -> SeriesRead:
    refuse_nulls(data, "title")
    return SeriesRead.model_validate(service.update(session, slug=slug, data=data))
