"""What every page shows around its content: who is signed in, how many suggestions wait for
review, and the form token; registered as template globals, with the filters that mark what
a search matched and name a quote's language."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import func, select

from app.common.forms import csrf_token
from app.common.pages import templates
from app.events.highlight import highlight, named
from app.sources.languages import language_name
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
    templates.env.filters["highlight"] = highlight
    templates.env.filters["named"] = named
    templates.env.filters["language_name"] = language_name
