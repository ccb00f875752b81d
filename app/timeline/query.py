"""What a timeline URL says: the filters, the lane mode, the visible window and the selection."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from app.core.errors import InvalidInput
from app.events import listing
from app.events.fields import EVENT_KINDS, EVENT_STATUSES
from app.events.listing import EventFilters
from app.timeline.schemas import LaneMode

#: Filters that take several slugs (repeat the name), in the order the form shows them.
LIST_FILTERS = ("kind", "status", "actor", "place", "series", "tag")
LANE_MODES: tuple[LaneMode, ...] = ("party", "kind", "none")


def _date(value: str, name: str, errors: dict[str, str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[name] = f"“{value}” is not a date: use YYYY-MM-DD"
        return None


@dataclass
class TimelineQuery:
    """A parsed timeline URL; `errors` names each value that could not be read."""

    chosen: dict[str, list[str]] = field(default_factory=dict)
    q: str = ""
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    lanes: LaneMode = "party"
    start: dt.date | None = None
    end: dt.date | None = None
    cursor: str | None = None
    event: str | None = None
    #: The facets whose every choice the reader asked to see (`all=actor`).
    expanded: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, params: Any) -> TimelineQuery:
        """From request.query_params (a multi-dict): unknown kinds and statuses are errors,
        unknown slugs simply match nothing."""
        errors: dict[str, str] = {}
        chosen: dict[str, list[str]] = {}
        for name in LIST_FILTERS:
            values = [v.strip() for v in params.getlist(name) if v.strip()]
            chosen[name] = list(dict.fromkeys(values))
        for name, allowed in (("kind", EVENT_KINDS), ("status", EVENT_STATUSES)):
            wrong = [v for v in chosen[name] if v not in allowed]
            if wrong:
                errors[name] = f"unknown {name}: {', '.join(wrong)}"
                chosen[name] = [v for v in chosen[name] if v in allowed]
        lanes = params.get("lanes", "party")
        if lanes not in LANE_MODES:
            errors["lanes"] = f"lanes is one of {', '.join(LANE_MODES)}"
            lanes = "party"
        query = cls(
            chosen=chosen,
            q=params.get("q", "").strip()[:200],
            from_date=_date(params.get("from", ""), "from", errors),
            to_date=_date(params.get("to", ""), "to", errors),
            lanes=cast(LaneMode, lanes),
            start=_date(params.get("start", ""), "start", errors),
            end=_date(params.get("end", ""), "end", errors),
            cursor=params.get("cursor") or None,
            event=params.get("event") or None,
            expanded=[name for name in params.getlist("all") if name in LIST_FILTERS],
            errors=errors,
            raw={"from": params.get("from", ""), "to": params.get("to", "")},
        )
        if query.from_date and query.to_date and query.to_date < query.from_date:
            errors["to"] = "the end of the date range is before its start"
        return query

    def filters(self) -> EventFilters:
        return EventFilters(
            from_date=self.from_date,
            to_date=self.to_date,
            kinds=self.chosen.get("kind", []),
            statuses=self.chosen.get("status", []),
            actors=self.chosen.get("actor", []),
            places=self.chosen.get("place", []),
            series=self.chosen.get("series", []),
            tags=self.chosen.get("tag", []),
            q=self.q or None,
        )

    @property
    def filtering(self) -> bool:
        return bool(self.q or self.from_date or self.to_date or any(self.chosen.values()))

    def filter_params(self) -> list[tuple[str, str]]:
        """The filters as query parameters, with the API's names."""
        params: list[tuple[str, str]] = []
        for name in LIST_FILTERS:
            params.extend((name, value) for value in self.chosen.get(name, []))
        if self.q:
            params.append(("q", self.q))
        if self.from_date:
            params.append(("from", self.from_date.isoformat()))
        if self.to_date:
            params.append(("to", self.to_date.isoformat()))
        return params

    def url(self, path: str = "/", **extra: str | None) -> str:
        params = self.filter_params()
        params.extend((k, v) for k, v in extra.items() if v)
        return f"{path}?{urlencode(params)}" if params else path

    def is_chosen(self, name: str, value: str) -> bool:
        return value in self.chosen.get(name, [])


#: The parameters of a timeline URL that say which events it shows.
FILTER_NAMES = ("kind", "status", "actor", "place", "series", "tag", "q", "from", "to")


def checked_filters(session: Session, query: TimelineQuery) -> listing.EventFilters:
    """The filters of a story or an embedded timeline, refused as the API refuses them: a
    kind, status or date that cannot be, or a slug that names nothing, is a 422 naming its
    parameter (a story or a timeline of "no events" for a misspelt slug would say something
    false; the timeline page shows the error beside its field instead)."""
    wrong = [
        {"loc": ["query", name], "msg": message, "type": "value_error"}
        for name, message in query.errors.items()
        if name in FILTER_NAMES
    ]
    if wrong:
        detail = "; ".join(f"{e['loc'][1]}: {e['msg']}" for e in wrong)
        raise InvalidInput(detail, errors=wrong)
    filters = query.filters()
    listing.check_references(session, filters)
    return filters
