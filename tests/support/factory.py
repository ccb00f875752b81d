"""Builds records in one line, through the services, committed: the tests' factory."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.actors import service as actor_service
from app.actors.schemas import ActorCreate
from app.core.database import Database
from app.events import service as event_service
from app.events.schemas import EventCreate
from app.media import service as media_service
from app.places import service as place_service
from app.places.schemas import PlaceCreate
from app.series import service as series_service
from app.series.schemas import SeriesCreate
from app.tags import service as tag_service
from app.tags.schemas import TagCreate
from tests.support.images import image_bytes


class Factory:
    """Builds records in one line, through the services, committed."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.count = 0

    def _next(self) -> int:
        self.count += 1
        return self.count

    def actor(self, **fields: Any) -> str:
        n = self._next()
        data = {"name": f"Actor {n}", "kind": "person", **fields}
        with self.database.session(write=True) as session:
            return actor_service.create(session, data=ActorCreate(**data)).slug

    def place(self, **fields: Any) -> str:
        n = self._next()
        data = {"name": f"Place {n}", "timezone": "UTC", **fields}
        with self.database.session(write=True) as session:
            return place_service.create(session, data=PlaceCreate(**data)).slug

    def series(self, **fields: Any) -> str:
        n = self._next()
        with self.database.session(write=True) as session:
            return series_service.create(
                session, data=SeriesCreate(**{"title": f"Series {n}", **fields})
            ).slug

    def tag(self, **fields: Any) -> str:
        n = self._next()
        with self.database.session(write=True) as session:
            return tag_service.create(
                session, data=TagCreate(**{"name": f"Tag {n}", **fields})
            ).slug

    def event(self, author: str = "factory", **fields: Any) -> str:
        n = self._next()
        data: dict[str, Any] = {
            "title": f"Event {n}",
            "kind": "meeting",
            "start_date": dt.date(2026, 1, 1) + dt.timedelta(days=n),
            **fields,
        }
        with self.database.session(write=True) as session:
            return event_service.create(session, data=EventCreate(**data), author=author).slug

    def image(self, kind: str = "PNG", **size: int) -> str:
        """An uploaded image (a different one each call); its URL, as an event's media names it."""
        n = self._next()
        data = image_bytes(kind, width=size.get("width", 40 + n), height=size.get("height", 30))
        with self.database.session(write=True) as session:
            return media_service.create(session, data=data, uploaded_by="factory").url
