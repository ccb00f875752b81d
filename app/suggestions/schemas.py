"""Suggestion shapes: what a visitor sends, and what an editor reads."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from app.schemas import Name, OptionalLine, ReadModel, Summary, Title, Url, WriteModel


class SuggestionCreate(WriteModel):
    title: Title = Field(description="What happened, in a line.")
    summary: Summary = ""
    start_date: dt.date
    place_name: OptionalLine | None = None
    source_url: Url
    submitter_name: Name | None = None


class SuggestionRead(ReadModel):
    id: int
    title: str
    summary: str
    start_date: dt.date
    place_name: str | None
    source_url: str
    submitter_name: str | None
    submitted_at: dt.datetime
    status: str
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_reason: str | None
    event_id: int | None
