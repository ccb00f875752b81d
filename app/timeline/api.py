"""GET /api/v1/timeline: the interactive timeline's data for the window it shows."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.core.deps import SessionDep
from app.core.errors import InvalidInput
from app.timeline import service
from app.timeline.query import TimelineQuery
from app.timeline.schemas import TimelineWindow

router = APIRouter(prefix="/api/v1/timeline", tags=["timeline"])

#: The widest window answered: wider ones would only be counted per year anyway.
LONGEST_WINDOW = dt.timedelta(days=366 * 200)


@router.get(
    "",
    response_model=TimelineWindow,
    summary="The events of a window, or counts per period when it holds too many",
    description="Takes `start` and `end` (dates, end exclusive), `lanes` (party, kind, none) "
    "and the filters of `GET /api/v1/events` (`kind`, `status`, `actor`, `place`, `series`, "
    f"`tag`, `q`, `from`, `to`). Up to {service.MAX_ITEMS} events come as items; more come "
    "as buckets: a count per day, month or year and lane.",
)
def get_window(
    request: Request,
    response: Response,
    session: SessionDep,
    # Declared for the documentation; TimelineQuery reads them, as the timeline page does.
    start: Annotated[str | None, Query(description="First day shown (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, Query(description="Day after the last shown.")] = None,
    lanes: Annotated[str | None, Query(description="party (default), kind or none.")] = None,
    kind: Annotated[list[str] | None, Query()] = None,
    status: Annotated[list[str] | None, Query()] = None,
    actor: Annotated[list[str] | None, Query()] = None,
    place: Annotated[list[str] | None, Query()] = None,
    series: Annotated[list[str] | None, Query()] = None,
    tag: Annotated[list[str] | None, Query()] = None,
    q: Annotated[str | None, Query()] = None,
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: Annotated[str | None, Query()] = None,
) -> TimelineWindow:
    query = TimelineQuery.parse(request.query_params)
    for name in ("start", "end"):
        if not request.query_params.get(name):
            query.errors.setdefault(name, "is required (a date, YYYY-MM-DD)")
    if query.start and query.end and query.end <= query.start:
        query.errors["end"] = "must be after start"
    if query.start and query.end and query.end - query.start > LONGEST_WINDOW:
        query.errors["end"] = "the window is wider than 200 years"
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
