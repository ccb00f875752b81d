"""Where the exports point: the site's own address and name, as the request that asked saw it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from fastapi import Request

#: The namespace of the ids Parley gives out in calendars and feeds.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "parley:timeline")


def stable_id(kind: str, slug: str, moment: dt.datetime, *rest: object) -> str:
    """An id that names one thing of a site forever, wherever the site is reached (another
    host name, behind a proxy, moved by dump and restore): made from what never changes of
    it, its slug and the moment it was made, so calendars and feed readers never see an event
    or a change twice."""
    name = "\x1f".join([kind, slug, moment.astimezone(dt.UTC).isoformat(), *map(str, rest)])
    return str(uuid.uuid5(_NAMESPACE, name))


@dataclass(frozen=True)
class Site:
    """The base URL (no trailing slash) and the title of the site."""

    base: str
    title: str

    @classmethod
    def of(cls, request: Request) -> Site:
        return cls(
            base=str(request.base_url).rstrip("/"),
            title=request.app.state.settings.site_title,
        )

    def url(self, path: str) -> str:
        """An absolute URL of one of the site's paths ("/events/x")."""
        return f"{self.base}{path}"
