"""Security headers on every answer: a strict Content-Security-Policy and its companions, and
the one opt-in that lets another site frame a page (`/embed`)."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A strict policy: no inline script or style, nothing from another host. JavaScript may still
# set element.style, which is how the timeline positions its items.
_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]
#: No other site may frame a page: a framed page could be dressed up to trick clicks.
CONTENT_SECURITY_POLICY = "; ".join([*_POLICY, "frame-ancestors 'none'"])
#: The paths made to be framed by any site (the embeddable timeline), and their policy.
FRAMABLE_PATHS = frozenset({"/embed"})
FRAMABLE_POLICY = "; ".join([*_POLICY, "frame-ancestors *"])


SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)


#: Sent on answers that went out over HTTPS (as the proxy told uvicorn, see the README's
#: Safety section): browsers then use HTTPS only, for a year.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Adds the security headers to every answer that does not set its own (pure ASGI: it
    costs a few microseconds, where a BaseHTTPMiddleware costs a task and a stream)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        framable = scope["path"] in FRAMABLE_PATHS

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if framable:
                    headers.setdefault("Content-Security-Policy", FRAMABLE_POLICY)
                else:
                    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    # For browsers that predate frame-ancestors.
                    headers.setdefault("X-Frame-Options", "DENY")
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
                if scope.get("scheme") == "https":
                    headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
            await send(message)

        await self.app(scope, receive, with_headers)
