"""Cross-site request forgery protection for the HTML forms: the token in every form is checked
(`app.common.forms` makes it), and the browser's own word on where a request comes from
(`Origin`, `Sec-Fetch-Site`) is heeded before anything runs."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.common.forms import TOKEN_COOKIE, TOKEN_FIELD, csrf_token
from app.core.deps import SAFE_METHODS
from app.core.errors import DomainError
from app.web.problems import refusal


class CrossSiteRequest(DomainError):
    status = 403
    title = "Forbidden"


def _exempt(path: str) -> bool:
    # The API authenticates with bearer tokens, which a browser never sends on its own.
    return path.startswith("/api/")


def _set_cookie(request: Request, response: Response, seed: str) -> None:
    response.set_cookie(
        TOKEN_COOKIE,
        seed,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def cross_site(request: Request) -> bool:
    """Whether the browser says this request was started by another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    if origin is not None:
        if origin == "null":
            return True
        host = request.headers.get("host", "")
        return urlsplit(origin).netloc.lower() != host.lower()
    return False


async def verify_csrf(request: Request) -> None:
    """A dependency for every page router: unsafe requests must carry this browser's token."""
    if request.method in SAFE_METHODS or _exempt(request.url.path):
        return
    form = await request.form()
    sent = form.get(TOKEN_FIELD)
    if not isinstance(sent, str) or not hmac.compare_digest(sent, csrf_token(request)):
        raise CrossSiteRequest(
            "This form has expired or came from another site, so nothing was saved. "
            "Go back, reload the page and send it again."
        )


class CsrfMiddleware:
    """Refuses cross-site writes before any route runs, and gives new browsers their seed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _exempt(scope["path"]):
            await self.app(scope, receive, send)
            return
        # The routes' request.state lives in this dict; shallow copies of the scope share it.
        state = scope.setdefault("state", {})
        request = Request(scope)
        if scope["method"] not in SAFE_METHODS and cross_site(request):
            answer = refusal(
                request,
                403,
                "Forbidden",
                "This request came from another site, so it was refused and nothing was saved.",
            )
            await answer(scope, receive, send)
            return

        async def with_seed(message: Message) -> None:
            new_seed = state.get("csrf_new_seed")
            if message["type"] == "http.response.start" and new_seed:
                carrier = Response()
                _set_cookie(request, carrier, new_seed)
                headers = MutableHeaders(scope=message)
                for cookie in carrier.headers.getlist("set-cookie"):
                    headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, with_seed)
