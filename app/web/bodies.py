"""Request bodies read whole before a route runs, for the API guard and the page limits:
counted as they arrive (a Content-Length can lie, and chunked bodies have none), handed on
to the app as if unread; and HEAD answered as GET without a body."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Message, Receive, Scope, Send


@dataclass(frozen=True)
class Refused:
    """Why a body was not read: its status, and what to tell the client."""

    status: int
    reason: str


BAD_LENGTH = Refused(400, "Content-Length is not a number")
TOO_LARGE = Refused(413, "the body is over the limit")


def declared_length(scope: Scope) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == b"content-length":
            return str(value.decode("latin-1"))
    return None


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes | Refused | None:
    """The whole body, or why it was refused (over `limit`, or a length that is not one);
    None when the client went away."""
    declared = declared_length(scope)
    if declared is not None:
        if not declared.isdigit():
            return BAD_LENGTH
        if int(declared) > limit:
            return TOO_LARGE
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return TOO_LARGE
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the app the body already read, then whatever follows."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def without_body(send: Send) -> Send:
    """HEAD: the GET answer's status and headers (Content-Length included), no body."""

    async def send_head(message: Message) -> None:
        if message["type"] != "http.response.body":
            await send(message)
        elif not message.get("more_body", False):
            await send({"type": "http.response.body", "body": b""})

    return send_head
