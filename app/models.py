"""Every table, imported in one place so metadata is complete for Alembic and tests, and the
listeners that keep what an event stores of other records (its search text, its answer, its
counted records) current on every write through a session, whichever package writes."""

from app.actors.models import Actor
from app.core.base import Base
from app.core.data_version import DataVersion
from app.events import indexing
from app.events.models import (
    Event,
    EventDocument,
    EventLink,
    EventMedia,
    Participation,
    Revision,
)
from app.media.models import Media
from app.places.models import Place
from app.series.models import Series
from app.sources.models import Citation, Source
from app.suggestions.models import Suggestion
from app.tags.models import Tag, event_tag
from app.users.models import ApiToken, LoginAttempt, LoginThrottle, User, UserSession

__all__ = [
    "Actor",
    "ApiToken",
    "Base",
    "Citation",
    "DataVersion",
    "Event",
    "EventDocument",
    "EventLink",
    "EventMedia",
    "LoginAttempt",
    "LoginThrottle",
    "Media",
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
    "indexing",
]
