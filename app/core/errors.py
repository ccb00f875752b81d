"""Domain errors: what services raise. Each knows its HTTP status, and nothing else of HTTP;
`app.web.problems` turns them into answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class DomainError(Exception):
    """An error a service raises; it knows its HTTP status but nothing else of HTTP."""

    status = 400
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[dict[str, Any]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors or [])
        self.extra = dict(extra or {})


class NotFound(DomainError):
    status = 404
    title = "Not found"


class EventNotFound(NotFound):
    pass


class Gone(DomainError):
    status = 410
    title = "Gone"


class EventGone(Gone):
    """The event was deleted; `extra["tombstone"]` says what it was."""


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class EditConflict(DomainError):
    """Someone saved a newer version since this one was read."""

    status = 412
    title = "Precondition failed"


class SignInRequired(DomainError):
    """A page that writes was asked for by someone not signed in: pages send them to sign in."""

    status = 401
    title = "Sign in required"


class PreconditionRequired(DomainError):
    status = 428
    title = "Precondition required"


class InvalidInput(DomainError):
    """Input that is well-formed but wrong; `errors` names each field."""

    status = 422
    title = "Unprocessable content"

    @classmethod
    def field(
        cls, loc: Sequence[str | int], message: str, kind: str = "value_error"
    ) -> InvalidInput:
        return cls(message, errors=[{"loc": list(loc), "msg": message, "type": kind}])


class UnknownReference(InvalidInput):
    """A slug in a write names an actor, place, series, tag or event that does not exist."""


class UnsupportedFormat(DomainError):
    """A format this answer is not offered in (oEmbed's XML)."""

    status = 501
    title = "Not implemented"
