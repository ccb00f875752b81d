"""Series shapes for JSON and templates."""

from __future__ import annotations

from app.common.schemas import Body, ReadModel, Slug, Title, WriteModel


class SeriesRef(ReadModel):
    slug: str
    title: str


class SeriesRead(SeriesRef):
    description: str | None = None


class SeriesCreate(WriteModel):
    slug: Slug | None = None
    title: Title
    description: Body | None = None


class SeriesUpdate(WriteModel):
    title: Title | None = None
    description: Body | None = None
