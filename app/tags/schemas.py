"""Tag shapes for JSON and templates."""

from __future__ import annotations

from app.common.schemas import Name, ReadModel, Slug, WriteModel


class TagRead(ReadModel):
    slug: str
    name: str


class TagCreate(WriteModel):
    slug: Slug | None = None
    name: Name


class TagUpdate(WriteModel):
    name: Name | None = None
