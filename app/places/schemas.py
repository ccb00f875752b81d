"""Place shapes for JSON and templates."""

from __future__ import annotations

from pydantic import Field

from app.common.schemas import Name, ReadModel, Slug, WriteModel
from app.common.timezones import TimeZone


class PlaceRef(ReadModel):
    slug: str
    name: str
    country: str | None = None
    timezone: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class PlaceRead(PlaceRef):
    aliases: list[str] = []


class PlaceCreate(WriteModel):
    slug: Slug | None = None
    name: Name
    aliases: list[Name] = Field(default_factory=list, max_length=50)
    country: Name | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    timezone: TimeZone | None = None


class PlaceUpdate(WriteModel):
    name: Name | None = None
    aliases: list[Name] | None = Field(default=None, max_length=50)
    country: Name | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    timezone: TimeZone | None = None
