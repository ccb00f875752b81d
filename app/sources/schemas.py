"""Source and citation shapes for JSON and templates."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from app.actors.schemas import ActorRef
from app.common.schemas import Body, Day, Name, OptionalLine, ReadModel, Slug, Url, WriteModel

Language = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=35, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
    ),
]


class SourceRead(ReadModel):
    url: str
    publisher: str
    title: str | None = None
    published_on: Day | None = None
    language: str | None = None


class CitationRead(SourceRead):
    """A source as cited by one event: the quote it supports and who said it."""

    quote: str | None = None
    original_quote: str | None = None
    original_language: str | None = None
    speaker: ActorRef | None = None


class SourceCreate(WriteModel):
    url: Url
    publisher: Name
    title: OptionalLine | None = None
    published_on: Day | None = None
    language: Language | None = None


class SourceUpdate(WriteModel):
    publisher: Name | None = None
    title: OptionalLine | None = None
    published_on: Day | None = None
    language: Language | None = None


class CitationIn(SourceCreate):
    """A source named inline in an event write; created if its URL is new."""

    quote: Body | None = None
    original_quote: Body | None = Field(
        None, description="The quote as it was said, when not in English (`quote` translates it)."
    )
    original_language: Language | None = Field(
        None,
        description='The BCP 47 tag of `original_quote`\'s language ("ru", "uk").',
        validate_default=True,
    )
    speaker: Slug | None = None

    @field_validator("original_language")
    @classmethod
    def _language_of_the_original(cls, value: str | None, info: ValidationInfo) -> str | None:
        """An original quote says which language it is in, so pages can mark it up; the
        error is on this field, so a client knows what to add."""
        if info.data.get("original_quote") and not value:
            raise PydanticCustomError("missing", "is required when original_quote is given")
        return value
