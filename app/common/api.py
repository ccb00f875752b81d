"""What every /api/v1 route shares: the Problem shape, documented error answers, ETags,
If-Match and the change reason."""

from __future__ import annotations

import contextlib
import re
from typing import Annotated, Any

from fastapi import Header
from pydantic import BaseModel, Field

from app.core.errors import InvalidInput, PreconditionRequired

#: The longest reason kept with a revision.
MAX_REASON = 1000


class ProblemItem(BaseModel):
    loc: list[str | int] = Field(description='Where the problem is: ["body", "end_date"].')
    msg: str
    type: str


class Problem(BaseModel):
    """An error, as RFC 9457 application/problem+json."""

    type: str = Field("about:blank", description="A URI naming the kind of problem.")
    title: str = Field(description="The status in words: 'Not Found'.")
    status: int
    detail: str | None = Field(None, description="What went wrong, for a person to read.")
    errors: list[ProblemItem] | None = Field(
        None, description="For input errors: each field that is wrong and why."
    )
    current_version: int | None = Field(
        None, description="On 412: the event's version now; GET it again before editing."
    )
    event: dict[str, Any] | None = Field(
        None, description="On 410: the deleted event as it was (an Event)."
    )


_DESCRIPTIONS = {
    304: "Not modified: the ETag given in If-None-Match is still current.",
    400: "The request is malformed (a body that is not UTF-8 JSON, a bad Content-Length).",
    401: "No API token, or one that is unknown or revoked (see WWW-Authenticate).",
    404: "There is no such record.",
    409: "A concurrent write made the same record; retry.",
    410: "The event was deleted; the body says what it was (`event`).",
    412: "If-Match does not match the current ETag: someone saved a newer version; "
    "nothing was changed. The body gives `current_version`.",
    413: "The request body is over 1 MiB.",
    415: "The body is not JSON.",
    422: "Input that is wrong; `errors` names each field (`loc`) and what is wrong with it.",
    428: "If-Match is required: send the ETag of the version you edited.",
    500: "Something failed on our side; nothing was saved.",
    503: "The database was busy or unreachable, or refused the write (read-only, disk full); "
    "nothing was saved; retry after Retry-After.",
}

READ = (422, 500, 503)
WRITE = (400, 401, 409, 413, 415, 422, 500, 503)


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for these error statuses, each with the Problem body."""
    answers: dict[int | str, dict[str, Any]] = {}
    for code in sorted(set(codes)):
        answer: dict[str, Any] = {"description": _DESCRIPTIONS[code]}
        if code != 304:
            answer["model"] = Problem
            answer["content"] = {"application/problem+json": {}}
        answers[code] = answer
    return answers


_ETAG_HEADER = {"description": 'The version answered: `"slug-vN"`.', "schema": {"type": "string"}}
_LOCATION_HEADER = {"description": "Where the new record is.", "schema": {"type": "string"}}


def with_headers(
    answers: dict[int | str, dict[str, Any]], status: int, *, location: bool = False
) -> dict[int | str, dict[str, Any]]:
    """Document the ETag (and Location) a successful event answer carries."""
    headers = {"ETag": _ETAG_HEADER}
    if location:
        headers["Location"] = _LOCATION_HEADER
    return {**answers, status: {"headers": headers}}


def etag(version: int, slug: str) -> str:
    return f'"{slug}-v{version}"'


_ETAG = re.compile(r'\s*(?:W/)?("[^"]*")\s*(?:,|$)')


def parse_etags(value: str) -> list[str] | None:
    """The entity tags of an If-Match / If-None-Match header ("*" → None)."""
    if value.strip() == "*":
        return None
    return [m.group(1) for m in _ETAG.finditer(value)]


def expected_version(if_match: str | None, slug: str, current: int | None = None) -> int | None:
    """The version an If-Match header says the client edited; None for "*".

    A tag for another event, or one that is not ours, can never match: the write is then
    refused as stale (version 0 never exists).
    """
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            f"send If-Match with the ETag of the version you edited (GET /api/v1/events/{slug})"
        )
    tags = parse_etags(if_match)
    if tags is None:
        return None
    versions = []
    for tag in tags:
        found = re.fullmatch(rf'"{re.escape(slug)}-v([0-9]{{1,9}})"', tag)
        if found:
            versions.append(int(found.group(1)))
    if not versions:
        return 0
    if current is not None and current in versions:
        return current
    return versions[0]


def _reason_from_header(value: str | None) -> str | None:
    if value is None:
        return None
    # Headers travel as Latin-1; a client sending UTF-8 gets its characters back.
    with contextlib.suppress(UnicodeError):
        value = value.encode("latin-1").decode("utf-8")
    value = value.strip()
    if len(value) > MAX_REASON or any(ord(c) < 32 for c in value):
        raise InvalidInput.field(
            ["header", "x-parley-reason"],
            f"a reason is one line of at most {MAX_REASON} characters",
        )
    return value or None


async def reason_header(
    x_parley_reason: Annotated[
        str | None,
        Header(description="Why this change was made; kept in the revision."),
    ] = None,
) -> str | None:
    # async: it reads no database, so it runs on the event loop, not in the thread pool.
    return _reason_from_header(x_parley_reason)


def refuse_nulls(data: BaseModel, *names: str) -> None:
    """PATCH may leave a field out, but not blank out one that must have a value."""
    errors = [
        {"loc": [name], "msg": "cannot be null", "type": "null_not_allowed"}
        for name in names
        if name in data.model_fields_set and getattr(data, name) is None
    ]
    if errors:
        raise InvalidInput(f"{errors[0]['loc'][0]}: cannot be null", errors=errors)
