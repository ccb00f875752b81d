"""Timeline window shapes: compact items for drawing, or buckets of counts."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.common.schemas import ReadModel

LaneMode = Literal["party", "kind", "none"]


class Lane(ReadModel):
    id: str
    name: str


class TimelineItem(ReadModel):
    slug: str
    title: str
    kind: str
    status: str
    display_status: str
    awaiting_confirmation: bool
    date_label: str
    start: dt.date
    end: dt.date | None = Field(description="The last day of a range; null for a single day.")
    lane: str | None


class NearestEvent(ReadModel):
    """An event just outside an empty window, so the reader can be taken to it."""

    slug: str
    title: str
    start: dt.date
    end: dt.date | None = Field(description="The last day of a range; null for a single day.")
    date_label: str


class TimelineBucket(ReadModel):
    start: dt.date
    end: dt.date = Field(description="The first day after the bucket.")
    lane: str | None
    count: int


class TimelineWindow(ReadModel):
    start: dt.date
    end: dt.date
    lanes: LaneMode
    total: int = Field(description="How many events the window holds.")
    aggregated: bool = Field(description="True when the window holds too many events to draw.")
    granularity: Literal["day", "month", "year"] | None = None
    groups: list[Lane]
    items: list[TimelineItem]
    buckets: list[TimelineBucket]
    before: NearestEvent | None = Field(
        default=None,
        description="When the window holds no event: the latest matching event that ends "
        "before `start`; null otherwise, or when there is none.",
    )
    after: NearestEvent | None = Field(
        default=None,
        description="When the window holds no event: the earliest matching event that starts "
        "on or after `end`; null otherwise, or when there is none.",
    )
