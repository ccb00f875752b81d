"""What every request to a page goes through before a route (or the CSRF check) runs: a body
limit for form posts, NUL-byte refusal in the path and query, and HEAD answered as GET.

The API has its own guard (`app.web.guard`); this one answers as a page or problem+json, by
the one rule in `app.web.problems`.
"""

from __future__ import annotations

import re

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.deps import SAFE_METHODS
from app.core.errors import InvalidInput
from app.events import import_pages
from app.media.images import MAX_UPLOAD_BYTES
from app.web.bodies import TOO_LARGE, Refused, read_body, replaying, without_body
from app.web.problems import is_api_path, refusal

#: A form post larger than this is refused before it is parsed.
MAX_FORM_BYTES = 1024 * 1024
#: The forms that may carry a file (as multipart/form-data), and how much they may send then:
#: an image on the event form, a CSV or NDJSON file on the import page.
UPLOAD_FORMS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"/events/(?:new|[^/]+/edit)/?"), MAX_UPLOAD_BYTES),
    (re.compile(r"/import/?"), import_pages.MAX_IMPORT_BYTES + import_pages.FORM_OVERHEAD),
)


def body_limit(path: str, content_type: str = "multipart/form-data") -> int:
    """The most bytes a post to this page may send."""
    if content_type == "multipart/form-data":
        for pattern, limit in UPLOAD_FORMS:
            if pattern.fullmatch(path):
                return limit
    return MAX_FORM_BYTES


def _size(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} MiB" if limit % (1024 * 1024) == 0 else f"{limit / 1e6:g} MB"


class PageRequestLimits:
    """ASGI middleware for every path outside /api/."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_api_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        if await _refused_nul_bytes(scope, receive, send):
            return
        if scope["method"] == "HEAD":
            await self.app({**scope, "method": "GET"}, receive, without_body(send))
            return
        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        content_type = Request(scope).headers.get("content-type", "").split(";")[0].strip().lower()
        limit = body_limit(scope["path"], content_type)
        body = await read_body(scope, receive, limit)
        if isinstance(body, Refused):
            await _refuse_body(scope, receive, send, body, limit)
            return
        if body is None:
            return
        await self.app(scope, replaying(body, receive), send)


async def _refuse(
    scope: Scope, receive: Receive, send: Send, status: int, title: str, detail: str, loc: list[str]
) -> None:
    errors = [{"loc": loc, "msg": detail, "type": "value_error"}]
    answer = refusal(Request(scope), status, title, detail, errors=errors)
    await answer(scope, receive, send)


async def _refuse_body(
    scope: Scope, receive: Receive, send: Send, refused: Refused, limit: int
) -> None:
    if refused is TOO_LARGE:
        too_large = (
            f"This form sent more than {_size(limit)}, so it was refused and nothing was saved."
        )
        await _refuse(scope, receive, send, 413, "Content Too Large", too_large, ["body"])
    else:
        await _refuse(
            scope, receive, send, 400, "Bad Request", refused.reason, ["header", "content-length"]
        )


async def _refused_nul_bytes(scope: Scope, receive: Receive, send: Send) -> bool:
    """A NUL byte in a page's path or query names nothing here (and PostgreSQL refuses it in
    text): the page is not found, or the parameter is wrong."""
    raw_path = scope.get("raw_path") or scope["path"].encode()
    if b"\x00" in raw_path or b"%00" in raw_path or "\x00" in scope["path"]:
        await _refuse(
            scope, receive, send, 404, "Not Found", "There is no page at this address.", ["path"]
        )
        return True
    query = scope.get("query_string", b"")
    if b"\x00" in query or b"%00" in query.lower():
        await _refuse(
            scope,
            receive,
            send,
            422,
            "Unprocessable content",
            "A search or filter cannot contain a NUL character.",
            ["query"],
        )
        return True
    return False


async def refuse_nul_fields(request: Request) -> None:
    """A dependency for every page router: a form's text cannot hold a NUL character (no one
    types one, and PostgreSQL refuses it in text). Files may; they are bytes."""
    if request.method in SAFE_METHODS:
        return
    form = await request.form()
    for name, value in form.multi_items():
        if isinstance(value, str) and "\x00" in value:
            raise InvalidInput.field(
                ["body", name.replace("\x00", "")], "A form field cannot contain a NUL character."
            )
