"""The list's query string: the filters of `GET /api/v1/events` as parameters, checked and
turned into `EventFilters`; the list and every export of it take the same ones."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.common.schemas import Day, Instant, TrueOrFalse, WholeNumber
from app.common.slugs import SLUG_LENGTH
from app.core.errors import InvalidInput
from app.events.fields import EVENT_KINDS, EVENT_STATUSES
from app.events.listing import EventFilters
from app.events.search import MAX_QUERY_LENGTH

_REPEATABLE = "Repeat the parameter, or separate slugs with commas; any of them matches."
#: The most values one filter takes.
MAX_VALUES = 100


def _many(values: list[str]) -> list[str]:
    """Repeated parameters, each of which may itself be a comma-separated list."""
    out: list[str] = []
    for value in values:
        out += [part.strip() for part in value.split(",") if part.strip()]
    return list(dict.fromkeys(out))


def _one_of(name: str, values: list[str], allowed: tuple[str, ...]) -> list[str]:
    for value in values:
        if value not in allowed:
            raise InvalidInput.field(
                ["query", name], f"{value!r} is not one of {', '.join(allowed)}"
            )
    return values


def _slugs(name: str, values: list[str]) -> list[str]:
    for value in values:
        if len(value) > SLUG_LENGTH:
            raise InvalidInput.field(["query", name], f"a slug is at most {SLUG_LENGTH} characters")
    if len(values) > MAX_VALUES:
        raise InvalidInput.field(["query", name], f"at most {MAX_VALUES} values")
    return values


class EventQuery(BaseModel):
    """Which events: every filter of the list."""

    model_config = ConfigDict(populate_by_name=True)

    from_: Day | None = Field(
        None, alias="from", description="Events on or after this date (ranges that overlap it)."
    )
    to: Day | None = Field(None, description="Events starting on or before it.")
    # Lists without a null: a repeated parameter is a list, absent is an empty one.
    kind: list[str] = Field(
        default_factory=list, description=f"{', '.join(EVENT_KINDS)}. {_REPEATABLE}"
    )
    status: list[str] = Field(
        default_factory=list, description=f"{', '.join(EVENT_STATUSES)}. {_REPEATABLE}"
    )
    actor: list[str] = Field(
        default_factory=list,
        description="Actor slugs; a state also matches the events of the people "
        f"and delegations affiliated to it. {_REPEATABLE}",
    )
    place: list[str] = Field(default_factory=list, description=f"Place slugs. {_REPEATABLE}")
    series: list[str] = Field(default_factory=list, description=f"Series slugs. {_REPEATABLE}")
    tag: list[str] = Field(default_factory=list, description=f"Tag slugs. {_REPEATABLE}")
    q: str | None = Field(
        None,
        max_length=MAX_QUERY_LENGTH,
        description="Words to search for in titles, summaries, bodies, quotes and the "
        "names and aliases of actors and places; every word must match, as a prefix.",
    )
    updated_since: Instant | None = Field(
        None, description="Only events changed at or after this time (UTC if no offset)."
    )
    include_deleted: TrueOrFalse = Field(
        False, description="Also list deleted events (with `deleted_at` set), to sync deletions."
    )

    def filters(self) -> EventFilters:
        """The filters, checked: a value that cannot be is an error on its parameter."""
        if self.from_ and self.to and self.to < self.from_:
            raise InvalidInput.field(
                ["query", "to"], f"'to' ({self.to}) is before 'from' ({self.from_})"
            )
        updated_since = self.updated_since
        return EventFilters(
            from_date=self.from_,
            to_date=self.to,
            kinds=_one_of("kind", _many(self.kind), EVENT_KINDS),
            statuses=_one_of("status", _many(self.status), EVENT_STATUSES),
            actors=_slugs("actor", _many(self.actor)),
            places=_slugs("place", _many(self.place)),
            series=_slugs("series", _many(self.series)),
            tags=_slugs("tag", _many(self.tag)),
            q=self.q,
            updated_since=updated_since,
            include_deleted=self.include_deleted,
        )


class EventPageQuery(EventQuery):
    """Which events, in which order, and which page of them."""

    order: Literal["asc", "desc", "relevance"] = Field(
        "asc", description="By date (`asc`, `desc`), or best match first (`relevance`, with q)."
    )
    limit: WholeNumber = Field(50, ge=1, le=500, description="Events per page.")
    cursor: str | None = Field(
        None, max_length=500, description="`next_cursor` of the previous page."
    )
