"""What every page shows around its content: who is signed in, how many suggestions wait for
review, and the form token; registered as template globals."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import func, select

from app.common.forms import csrf_token
from app.common.pages import templates
from app.suggestions.models import Suggestion
from app.users.cookies import account_name


def pending_suggestions(request: Request) -> int:
    """How many suggestions wait for review (shown to signed-in editors only)."""
    if not request.app.state.settings.allow_suggestions or account_name(request) is None:
        return 0
    with request.app.state.db.session() as session:
        count = session.scalar(
            select(func.count()).select_from(Suggestion).where(Suggestion.status == "pending")
        )
    return int(count or 0)


def install() -> None:
    templates.env.globals["account_name"] = account_name
    templates.env.globals["pending_suggestions"] = pending_suggestions
    templates.env.globals["csrf_token"] = csrf_token
