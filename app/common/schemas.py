"""Pydantic building blocks shared by every domain's schemas."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from app.common.slugs import SLUG_LENGTH

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL bytes")
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def _clean_line(value: str) -> str:
    value = _clean_text(value)
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value


Slug = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=SLUG_LENGTH, pattern=SLUG_PATTERN
    ),
]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_clean_line),
]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_clean_line),
]
OptionalLine = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_clean_line)
]
Summary = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=1000), AfterValidator(_clean_text)
]
Body = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100_000), AfterValidator(_clean_text)
]
Url = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=2000, pattern=r"^https?://\S+$"
    ),
    AfterValidator(_clean_line),
]


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class WriteModel(BaseModel):
    # Unknown fields are refused, so that a typo ("titel") is an error, not silently dropped.
    model_config = ConfigDict(extra="forbid")
