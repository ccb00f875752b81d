"""Every table, imported in one place so metadata is complete for Alembic and tests."""

from app.actors.models import Actor
from app.core.base import Base
from app.core.data_version import DataVersion
from app.events.models import Event, EventLink, Participation, Revision
from app.places.models import Place
from app.series.models import Series
from app.sources.models import Citation, Source
from app.suggestions.models import Suggestion
from app.tags.models import Tag, event_tag
from app.users.models import ApiToken, LoginAttempt, User, UserSession

__all__ = [
    "Actor",
    "ApiToken",
    "Base",
    "Citation",
    "DataVersion",
    "Event",
    "EventLink",
    "LoginAttempt",
    "Participation",
    "Place",
    "Revision",
    "Series",
    "Source",
    "Suggestion",
    "Tag",
    "User",
    "UserSession",
    "event_tag",
]
