"""Actor shapes for JSON and templates."""

from __future__ import annotations

from pydantic import Field

from app.actors.models import ActorKind
from app.common.schemas import Name, OptionalLine, ReadModel, Slug, Summary, WriteModel


class AffiliationRef(ReadModel):
    slug: str
    name: str


class ActorRef(ReadModel):
    slug: str
    name: str
    kind: str
    title: str | None = None
    affiliation: AffiliationRef | None = None


class ActorRead(ActorRef):
    aliases: list[str] = []
    description: str | None = None


class ActorCreate(WriteModel):
    slug: Slug | None = None
    name: Name
    aliases: list[Name] = Field(default_factory=list, max_length=50)
    kind: ActorKind
    title: OptionalLine | None = None
    description: Summary | None = None
    affiliation: Slug | None = None


class ActorUpdate(WriteModel):
    name: Name | None = None
    aliases: list[Name] | None = Field(default=None, max_length=50)
    kind: ActorKind | None = None
    title: OptionalLine | None = None
    description: Summary | None = None
    affiliation: Slug | None = None
