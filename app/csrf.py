"""Cross-site request forgery protection for the HTML forms: a token in every form, and the
browser's own word on where a request comes from (`Origin`, `Sec-Fetch-Site`)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.deps import SAFE_METHODS
from app.errors import DomainError

COOKIE = "parley_csrf"
FIELD = "csrf_token"


class CrossSiteRequest(DomainError):
    status = 403
    title = "Forbidden"


def _exempt(path: str) -> bool:
    # The API authenticates with bearer tokens, which a browser never sends on its own.
    return path.startswith("/api/")


def _seed(request: Request) -> str:
    """The browser's random seed: from its cookie, or a new one the middleware will set."""
    seed = getattr(request.state, "csrf_seed", None)
    if seed is None:
        seed = request.cookies.get(COOKIE) or ""
        if len(seed) < 20:
            seed = secrets.token_urlsafe(24)
            request.state.csrf_new_seed = seed
        request.state.csrf_seed = seed
    return str(seed)


def csrf_token(request: Request) -> str:
    """The token for this browser's forms: a keyed hash of its seed, so it cannot be guessed
    from another site and is worthless without the cookie it was made for."""
    secret = request.app.state.secret_key.encode()
    return hmac.new(secret, b"csrf\0" + _seed(request).encode(), hashlib.sha256).hexdigest()


def rotate(request: Request, response: Response) -> None:
    """A new seed (on sign-out), so the next session in this browser has its own token."""
    seed = secrets.token_urlsafe(24)
    request.state.csrf_seed = seed
    request.state.csrf_new_seed = None
    _set_cookie(request, response, seed)


def _set_cookie(request: Request, response: Response, seed: str) -> None:
    response.set_cookie(
        COOKIE,
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
    sent = form.get(FIELD)
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
            from app.errors import render_error_page

            refusal = render_error_page(
                request,
                403,
                "Forbidden",
                "This request came from another site, so it was refused and nothing was saved.",
            )
            await refusal(scope, receive, send)
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
