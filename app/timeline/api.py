"""GET /api/v1/timeline: the interactive timeline's data for the window it shows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.common.api import READ, problems
from app.common.schemas import Day
from app.core.deps import SessionDep
from app.core.errors import InvalidInput
from app.timeline import service
from app.timeline.query import TimelineQuery
from app.timeline.schemas import LaneMode, TimelineWindow

router = APIRouter(prefix="/api/v1/timeline", tags=["timeline"])


@router.get(
    "",
    response_model=TimelineWindow,
    responses=problems(*READ),
    summary="The events of a window, or counts per period when it holds too many",
    description="Takes `start` and `end` (dates, end exclusive), `lanes` (party, kind, none) "
    "and the filters of `GET /api/v1/events` (`kind`, `status`, `actor`, `place`, `series`, "
    f"`tag`, `q`, `from`, `to`). Up to {service.MAX_ITEMS} events come as items; more come "
    "as buckets: a count per day, month or year and lane.",
)
def get_timeline(
    request: Request,
    response: Response,
    session: SessionDep,
    # Checked here, and read by TimelineQuery as the timeline page reads them.
    start: Annotated[Day, Query(description="First day shown (YYYY-MM-DD).")],
    end: Annotated[Day, Query(description="Day after the last shown (YYYY-MM-DD).")],
    kind: Annotated[list[str], Query(default_factory=list)],
    status: Annotated[list[str], Query(default_factory=list)],
    actor: Annotated[list[str], Query(default_factory=list)],
    place: Annotated[list[str], Query(default_factory=list)],
    series: Annotated[list[str], Query(default_factory=list)],
    tag: Annotated[list[str], Query(default_factory=list)],
    lanes: Annotated[LaneMode | None, Query(description="party (default), kind or none.")] = None,
    q: Annotated[str | None, Query()] = None,
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Annotated[Day | None, Query()] = None,
) -> TimelineWindow:
    query = TimelineQuery.parse(request.query_params)
    if query.start and query.end and query.end <= query.start:
        query.errors["end"] = "must be after start"
    if query.errors:
        raise InvalidInput(
            "the timeline window could not be read",
            errors=[
                {"loc": ["query", name], "msg": message, "type": "value_error"}
                for name, message in query.errors.items()
            ],
        )
    assert query.start and query.end
    # Windows are shared by everyone looking at the same stretch: let caches keep them a moment.
    response.headers["Cache-Control"] = "public, max-age=15"
    return service.window(
        session, filters=query.filters(), start=query.start, end=query.end, lanes=query.lanes
    )
