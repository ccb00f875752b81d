"""What every raw API request goes through before a route runs: body size, content type
and NUL-byte checks, HEAD answered as GET without a body, and CORS.

The checks answer problem+json themselves, so that a huge or malformed request is refused
cheaply and never reaches a parser that could fail with a 500.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import parse_qsl, unquote

from fastapi import Request
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import InvalidInput
from app.media.images import MAX_UPLOAD_BYTES
from app.web.bodies import TOO_LARGE, Refused, read_body, replaying, without_body
from app.web.problems import is_api_path, problem

#: The largest request body the API reads (an event with a long body and many sources
#: fits in a fraction of it).
MAX_BODY_BYTES = 1024 * 1024
#: Deeper JSON than this is refused before parsing (Python's parser would recurse).
MAX_JSON_DEPTH = 64

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

#: API paths that take another body than JSON: (largest body, content type). Every other path
#: takes JSON of at most MAX_BODY_BYTES.
OTHER_BODIES = {"/api/v1/media": (MAX_UPLOAD_BYTES, "multipart/form-data")}


async def _send_problem(
    scope: Scope,
    send: Send,
    status: int,
    title: str,
    detail: str,
    loc: list[str] | None = None,
) -> None:
    errors = [{"loc": loc, "msg": detail, "type": "value_error"}] if loc is not None else None
    await problem(status, title, detail, errors=errors)(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _too_deep(body: bytes) -> bool:
    """Whether JSON nests deeper than MAX_JSON_DEPTH; brackets inside strings are skipped."""
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


class ApiRequestGuard:
    """ASGI middleware for /api/ paths."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body
        # Dashboards on other sites may read and write: tokens travel in a header, never in
        # a cookie, so allowing any origin exposes nothing a request could not send itself.
        self.api = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
                "X-Parley-Reason",
            ],
            expose_headers=["ETag", "Link", "Location", "Retry-After", "WWW-Authenticate"],
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_api_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        if await _refused_nul_bytes(scope, send):
            return
        if scope["method"] == "HEAD":
            await self.api({**scope, "method": "GET"}, receive, without_body(send))
            return
        if scope["method"] not in _BODY_METHODS:
            await self.api(scope, receive, send)
            return
        max_body, content_type = OTHER_BODIES.get(scope["path"], (self.max_body, None))
        body = await read_body(scope, receive, max_body)
        if isinstance(body, Refused):
            if body is TOO_LARGE:
                await self._too_large(scope, send, max_body)
            else:
                await _send_problem(scope, send, body.status, "Bad Request", body.reason)
            return
        if body is None:
            return
        if content_type is not None:
            if await _refused_other_body(scope, send, content_type):
                return
        elif await _refused_body(scope, send, body):
            return
        await self.api(scope, replaying(body, receive), send)

    async def _too_large(self, scope: Scope, send: Send, max_body: int) -> None:
        await _send_problem(
            scope,
            send,
            413,
            "Content Too Large",
            f"the request body is over {max_body / 1024 / 1024:g} MiB",
            ["body"],
        )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


async def _refused_nul_bytes(scope: Scope, send: Send) -> bool:
    """NUL bytes in the path or the query are refused before any parser sees them."""
    raw_path = scope.get("raw_path") or scope["path"].encode()
    if b"\x00" in raw_path or b"%00" in raw_path or "\x00" in scope["path"]:
        await _send_problem(
            scope, send, 404, "Not Found", "a path cannot contain NUL bytes", ["path"]
        )
        return True
    query = scope.get("query_string", b"")
    if b"\x00" in query or b"%00" in query.lower():
        names = [
            name
            for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True)
            if "\x00" in name or "\x00" in value
        ] or [unquote(query.decode("latin-1"))]
        await _send_problem(
            scope,
            send,
            422,
            "Unprocessable content",
            "a query parameter cannot contain NUL bytes",
            ["query", names[0].replace("\x00", "")],
        )
        return True
    return False


async def _refused_other_body(scope: Scope, send: Send, content_type: str) -> bool:
    """A path that takes another body (an upload) refuses any other content type."""
    sent = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
    if sent == content_type:
        return False
    await _send_problem(
        scope,
        send,
        415,
        "Unsupported Media Type",
        f"send the body as {content_type}",
        ["header", "content-type"],
    )
    return True


async def _refused_body(scope: Scope, send: Send, body: bytes) -> bool:
    """A body that is not JSON, or nests too deep to parse safely, is refused."""
    if not body.strip():
        return False
    content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        await _send_problem(
            scope,
            send,
            415,
            "Unsupported Media Type",
            "send the body as JSON, with 'Content-Type: application/json'",
            ["header", "content-type"],
        )
        return True
    if _too_deep(body):
        await _send_problem(
            scope,
            send,
            422,
            "Unprocessable content",
            f"the JSON nests deeper than {MAX_JSON_DEPTH} levels",
            ["body"],
        )
        return True
    return False


def _takes_list(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "array" or any(_takes_list(s) for s in schema.get("anyOf", []))


def _one_valued(operation: dict[str, Any]) -> frozenset[str]:
    """The query parameters of one documented operation that take a single value."""
    return frozenset(
        parameter["name"]
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and not _takes_list(parameter["schema"])
    )


async def refuse_repeated_parameters(request: Request) -> None:
    """A parameter that takes one value, given twice (`?q=a&q=b`), is refused rather than
    read as one of them: which one a client meant cannot be known. Lists (`actor`, `kind`
    on events) may repeat, as the API document says."""
    counts = Counter(name for name, _ in request.query_params.multi_items())
    repeated = [name for name, count in counts.items() if count > 1]
    if not repeated:
        return
    route = request.scope["route"]
    document = request.app.openapi()
    operation = document["paths"].get(route.path_format, {}).get(request.method.lower(), {})
    for name in repeated:
        if name in _one_valued(operation):
            raise InvalidInput.field(
                ["query", name], f"'{name}' takes one value, and was given {counts[name]}"
            )
