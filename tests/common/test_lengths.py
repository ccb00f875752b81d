"""Every text the API takes fits the column it is kept in: what PostgreSQL would refuse with an
error (StringDataRightTruncation, a 500) the API refuses first, with a 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import String

from app.actors.models import Actor
from app.actors.schemas import ActorCreate, ActorUpdate
from app.core.base import Base
from app.events.models import Event
from app.events.schemas import EventCreate, EventUpdate
from app.places.models import Place
from app.places.schemas import PlaceCreate, PlaceUpdate
from app.series.models import Series
from app.series.schemas import SeriesCreate, SeriesUpdate
from app.sources.models import Source
from app.sources.schemas import SourceCreate, SourceUpdate
from app.tags.models import Tag
from app.tags.schemas import TagCreate, TagUpdate

WRITES: list[tuple[type[BaseModel], type[Base]]] = [
    (ActorCreate, Actor),
    (ActorUpdate, Actor),
    (PlaceCreate, Place),
    (PlaceUpdate, Place),
    (SeriesCreate, Series),
    (SeriesUpdate, Series),
    (TagCreate, Tag),
    (TagUpdate, Tag),
    (SourceCreate, Source),
    (SourceUpdate, Source),
    (EventCreate, Event),
    (EventUpdate, Event),
]


def _max_length(schema: dict[str, Any]) -> int | None:
    for option in [schema, *schema.get("anyOf", [])]:
        if "maxLength" in option:
            return int(option["maxLength"])
    return None


@pytest.mark.parametrize(("write", "model"), WRITES, ids=lambda item: item.__name__)
def test_every_text_a_write_takes_fits_its_column(
    write: type[BaseModel], model: type[Base]
) -> None:
    columns = model.__table__.columns  # type: ignore[attr-defined]
    checked = 0
    for name, schema in write.model_json_schema()["properties"].items():
        limit = _max_length(schema)
        if limit is None or name not in columns or not isinstance(columns[name].type, String):
            continue
        length = columns[name].type.length
        assert length is None or limit <= length, f"{write.__name__}.{name}: {limit} > {length}"
        checked += 1
    assert checked, f"{write.__name__} has no text kept in a sized column"
