"""Suggestion shapes: what a visitor sends."""

from __future__ import annotations

from pydantic import Field

from app.common.schemas import Day, Name, OptionalLine, Summary, Title, Url, WriteModel


class SuggestionCreate(WriteModel):
    title: Title = Field(description="What happened, in a line.")
    summary: Summary = ""
    start_date: Day
    place_name: OptionalLine | None = None
    source_url: Url
    submitter_name: Name | None = None
