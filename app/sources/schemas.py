"""Source and citation shapes for JSON and templates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import StringConstraints

from app.actors.schemas import ActorRef
from app.common.schemas import Body, Name, OptionalLine, ReadModel, Slug, Url, WriteModel

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
    published_on: dt.date | None = None
    language: str | None = None


class CitationRead(SourceRead):
    """A source as cited by one event: the quote it supports and who said it."""

    quote: str | None = None
    speaker: ActorRef | None = None


class SourceCreate(WriteModel):
    url: Url
    publisher: Name
    title: OptionalLine | None = None
    published_on: dt.date | None = None
    language: Language | None = None


class SourceUpdate(WriteModel):
    publisher: Name | None = None
    title: OptionalLine | None = None
    published_on: dt.date | None = None
    language: Language | None = None


class CitationIn(SourceCreate):
    """A source named inline in an event write; created if its URL is new."""

    quote: Body | None = None
    speaker: Slug | None = None
