"""What every HTML form shares: the token that proves it was filled in on this site, and
errors said in words a person reads next to the field."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Request
from pydantic import ValidationError

#: The cookie holding this browser's random seed, and the form field carrying its token.
TOKEN_COOKIE = "parley_csrf"
TOKEN_FIELD = "csrf_token"


def token_seed(request: Request) -> str:
    """The browser's random seed: from its cookie, or a new one that goes out with the answer
    (see `app.web.csrf`)."""
    seed = getattr(request.state, "csrf_seed", None)
    if seed is None:
        seed = request.cookies.get(TOKEN_COOKIE) or ""
        if len(seed) < 20:
            seed = secrets.token_urlsafe(24)
            request.state.csrf_new_seed = seed
        request.state.csrf_seed = seed
    return str(seed)


def csrf_token(request: Request) -> str:
    """The token for this browser's forms: a keyed hash of its seed, so it cannot be guessed
    from another site and is worthless without the cookie it was made for."""
    secret = request.app.state.secret_key.encode()
    return hmac.new(secret, b"csrf\0" + token_seed(request).encode(), hashlib.sha256).hexdigest()


def new_token(request: Request) -> None:
    """A new seed with this answer (on sign-out), so the next session in this browser has its
    own token."""
    request.state.csrf_seed = secrets.token_urlsafe(24)
    request.state.csrf_new_seed = request.state.csrf_seed


def plain_text(typed: str) -> str:
    """Form text as the API keeps it: browsers send line breaks as CRLF (or a lone CR), the
    text keeps them as \n, so that saving a form unchanged changes nothing."""
    return typed.replace("\r\n", "\n").replace("\r", "\n")


_FRIENDLY = {
    "missing": "This is required.",
    "string_too_short": "This is required.",
    "date_from_datetime_parsing": "Enter a date like 2026-02-01.",
    "date_parsing": "Enter a date like 2026-02-01.",
    "date_type": "Enter a date like 2026-02-01.",
    "time_parsing": "Enter a time like 14:30.",
    "time_type": "Enter a time like 14:30.",
    "int_parsing": "Enter a whole number.",
    "greater_than_equal": "This must be 1 or more.",
    "less_than_equal": "This number is too large.",
    "literal_error": "Choose one of the options.",
    "string_too_long": "This is too long.",
    "extra_forbidden": "This field is not part of an event.",
}


def message(error: Mapping[str, Any]) -> str:
    """One validation error, as a sentence for the person who typed the value."""
    kind = str(error.get("type", ""))
    if error.get("input") == "" and kind not in ("value_error", "assertion_error"):
        return "This is required."
    msg = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    loc = list(error.get("loc") or [])
    if kind == "string_pattern_mismatch" and loc and str(loc[-1]).endswith("url"):
        return "Enter the full web address, starting with https://"
    if kind == "string_pattern_mismatch":
        return "Pick one from the list."
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    return sentence(msg)


def sentence(text: str) -> str:
    """'the slug is taken' → 'The slug is taken.'"""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def field_errors(errors: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Errors by input name (the first part of each error's location), first one each."""
    found: dict[str, str] = {}
    for error in errors:
        loc = [part for part in error.get("loc") or [] if part != "body"]
        found.setdefault(str(loc[0]) if loc else "form", message(error))
    return found


def validation_errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [dict(error) for error in exc.errors()]
