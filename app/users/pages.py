"""Signing in and out of the web forms."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.common.forms import new_token
from app.common.pages import render
from app.core.deps import DatabaseDep, SessionDep
from app.users import cookies
from app.users import sessions as session_service
from app.users.deps import client_key
from app.users.sessions import SignIn

router = APIRouter(tags=["pages"], include_in_schema=False)

WRONG = "That name and password do not match an editor. Check both and try again."


def safe_next(target: str | None) -> str:
    """Only a path on this site: never send someone off to another host after signing in."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "users/login.html", {"next": safe_next(next), "username": ""})


@router.post("/login")
def login(
    request: Request,
    database: DatabaseDep,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
) -> Response:
    # No request session: the password is checked outside any transaction (see sign_in).
    target = safe_next(next)
    result = session_service.sign_in(
        database,
        username=username,
        password=password,
        address_key=client_key(request),
        device=cookies.read_device(request, username=username),
    )
    if result.user is None or result.token is None:
        return _refused(request, result, username=username, target=target)
    response = RedirectResponse(target, status_code=303)
    cookies.set_cookie(request, response, token=result.token, username=result.user.username)
    cookies.set_device(request, response, username=result.user.username)
    # The form token is not renewed here: an editor whose session ended mid-edit signs in
    # again in another tab, and the form still open in the first one must still save.
    # Signing out renews it.
    return response


def _refused(request: Request, result: SignIn, *, username: str, target: str) -> Response:
    """The form again, saying why: a wrong password, a pause, or too many tries at once."""
    context = {"next": target, "username": username, "error": WRONG}
    status = 401
    headers = None
    if result.busy:
        context["error"] = "Too many people are signing in right now. Try again in a moment."
        status = 503
        headers = {"Retry-After": "5"}
    elif result.retry_after is not None:
        minutes = max(1, math.ceil(result.retry_after.total_seconds() / 60))
        context["error"] = (
            "Too many wrong passwords. For your account's safety, signing in is paused: "
            f"try again in {minutes} minute{'s' if minutes != 1 else ''}."
        )
        status = 429
        headers = {"Retry-After": str(int(result.retry_after.total_seconds()) + 1)}
    return render(request, "users/login.html", context, status_code=status, headers=headers)


@router.get("/logout")
def logout_form(request: Request) -> Response:
    # Signing out is a POST (a link or an image on another site must not sign anyone out);
    # this page is where the link in the navigation leads when scripts are off.
    return render(request, "users/logout.html", {"name": cookies.account_name(request)})


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    data = cookies.read_cookie(request)
    if data is not None:
        session_service.close_session(session, token=str(data["t"]))
    response = RedirectResponse("/", status_code=303)
    cookies.clear_cookie(response)
    new_token(request)
    return response
