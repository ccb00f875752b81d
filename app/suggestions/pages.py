"""Suggestions in the browser: the visitor's short form, and the editors' review queue."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from app.common.forms import field_errors, plain_text, sentence, validation_errors
from app.common.pages import render
from app.core.deps import SessionDep
from app.core.errors import DomainError, NotFound
from app.suggestions import service
from app.suggestions.models import SUGGESTION_STATUSES
from app.suggestions.schemas import SuggestionCreate
from app.users.deps import EditorDep, client_key

router = APIRouter(tags=["pages"], include_in_schema=False)

FIELDS = ("title", "summary", "start_date", "place_name", "source_url", "submitter_name")
#: The field people never see and bots fill in.
HONEYPOT = "website"


def _enabled(request: Request) -> None:
    if not request.app.state.settings.allow_suggestions:
        raise NotFound("suggestions are not open on this site")


@router.get("/suggest")
def suggest_form(request: Request) -> Response:
    _enabled(request)
    return render(request, "suggestions/suggest.html", {"values": {}, "errors": {}})


@router.post("/suggest")
async def suggest(request: Request, session: SessionDep) -> Response:
    _enabled(request)
    data = await request.form()
    values = {name: plain_text(str(data.get(name) or "")) for name in FIELDS}
    if str(data.get(HONEYPOT) or "").strip():
        # Looks like success to the bot; nothing is stored.
        return RedirectResponse("/suggest/thanks", status_code=303)
    payload: dict[str, Any] = {k: v.strip() for k, v in values.items() if v.strip()}
    try:
        service.create(
            session,
            data=SuggestionCreate.model_validate(payload, strict=False),
            submitter_key=client_key(request),
        )
    except ValidationError as exc:
        return render(
            request,
            "suggestions/suggest.html",
            {"values": values, "errors": field_errors(validation_errors(exc))},
            status_code=422,
        )
    except service.TooManySuggestions as exc:
        return render(
            request,
            "suggestions/suggest.html",
            {"values": values, "errors": {"form": exc.detail}},
            status_code=429,
            headers={"Retry-After": str(exc.extra.get("retry_after", 3600))},
        )
    return RedirectResponse("/suggest/thanks", status_code=303)


@router.get("/suggest/thanks")
def thanks(request: Request) -> Response:
    _enabled(request)
    return render(request, "suggestions/thanks.html")


@router.get("/review")
def review(
    request: Request, session: SessionDep, editor: EditorDep, status: str = "pending"
) -> Response:
    if status not in SUGGESTION_STATUSES:
        status = "pending"
    return render(
        request,
        "suggestions/review.html",
        {"suggestions": service.get_all(session, status=status), "status": status},
    )


@router.get("/review/{id}")
def review_one(request: Request, id: int, session: SessionDep, editor: EditorDep) -> Response:
    return render(
        request,
        "suggestions/review_one.html",
        {"suggestion": service.get(session, id=id), "errors": {}, "reason": ""},
    )


@router.post("/review/{id}/reject")
async def reject(request: Request, id: int, session: SessionDep, editor: EditorDep) -> Response:
    data = await request.form()
    reason = str(data.get("reason") or "")
    try:
        service.reject(session, id=id, reason=reason, reviewer=editor.username)
    except DomainError as exc:
        session.rollback()
        message = exc.errors[0]["msg"] if exc.errors else exc.detail
        return render(
            request,
            "suggestions/review_one.html",
            {
                "suggestion": service.get(session, id=id),
                "errors": {"reason": sentence(message)},
                "reason": reason,
            },
            status_code=exc.status,
        )
    return RedirectResponse("/review?rejected=1", status_code=303)
