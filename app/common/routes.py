"""The routes every record domain shares (actors, places, series, tags, sources): create one,
read one, change one, written once. Each domain's api.py adds its own list and describes its
routes in its own words."""

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel

from app.common.api import READ, WRITE, problems, refuse_nulls
from app.common.schemas import WholeNumber
from app.common.slugs import SLUG_LENGTH
from app.core.deps import SessionDep


@dataclass(frozen=True)
class Doc:
    """What the API's description says of one route."""

    summary: str
    description: str | None = None


@dataclass(frozen=True)
class Record:
    """One kind of record as the API serves it.

    `name` and `plural` name it ("actor", "actors"); `key` is the path parameter that finds
    one ("slug", or "source_id" for sources, found by number) and `key_of` reads it off a
    record. `get`, `create` and `update` are the domain's service functions, called with the
    key as a keyword (`get(session, slug=...)`), and each route is described by its Doc.
    """

    name: str
    plural: str
    read: type[BaseModel]
    create_schema: type[BaseModel]
    update_schema: type[BaseModel]
    get: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    not_null: tuple[str, ...]
    create_doc: Doc
    get_doc: Doc
    patch_doc: Doc
    key: str = "slug"
    key_of: Callable[[Any], Any] = field(default=lambda record: record.slug)

    def key_parameter(self) -> inspect.Parameter:
        whose = f"The {self.name}'" + ("" if self.name.endswith("s") else "s")
        if self.key == "slug":
            annotation: Any = Annotated[
                str, Path(max_length=SLUG_LENGTH, description=f"{whose} slug.")
            ]
        else:
            annotation = Annotated[
                WholeNumber, Path(ge=1, le=2_000_000_000, description=f"{whose} id.")
            ]
        return inspect.Parameter(self.key, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)


def _parameter(name: str, annotation: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)


def _route(
    name: str, call: Callable[..., Any], parameters: list[inspect.Parameter], answers: Any
) -> Callable[..., Any]:
    """`call` with the signature FastAPI reads its parameters from, under its route's name."""
    call.__name__ = name
    call.__signature__ = inspect.Signature(parameters, return_annotation=answers)  # type: ignore[attr-defined]
    return call


def add_record_routes(router: APIRouter, record: Record, author: Any) -> None:
    """POST `` (201 with Location), GET `/{key}` and PATCH `/{key}` for one kind of record;
    `author` is the dependency that names who writes (and refuses those without a token)."""
    key = record.key_parameter()
    path = "/{" + record.key + "}"

    def create(*, data: Any, response: Response, session: Any, author: str) -> Any:
        made = record.create(session, data=data)
        response.headers["Location"] = f"{router.prefix}/{record.key_of(made)}"
        return record.read.model_validate(made)

    def get(*, session: Any, **found: Any) -> Any:
        return record.read.model_validate(record.get(session, **found))

    def patch(*, data: Any, session: Any, author: str, **found: Any) -> Any:
        refuse_nulls(data, *record.not_null)
        return record.read.model_validate(record.update(session, data=data, **found))

    writer = [_parameter("session", SessionDep), _parameter("author", author)]
    router.post(
        "",
        response_model=record.read,
        status_code=201,
        responses=problems(*WRITE),
        summary=record.create_doc.summary,
        description=record.create_doc.description,
    )(
        _route(
            f"create_{record.name}",
            create,
            [_parameter("data", record.create_schema), _parameter("response", Response), *writer],
            record.read,
        )
    )
    router.get(
        path,
        response_model=record.read,
        responses=problems(404, *READ),
        summary=record.get_doc.summary,
        description=record.get_doc.description,
    )(_route(f"get_{record.name}", get, [key, _parameter("session", SessionDep)], record.read))
    router.patch(
        path,
        response_model=record.read,
        responses=problems(404, *WRITE),
        summary=record.patch_doc.summary,
        description=record.patch_doc.description,
    )(
        _route(
            f"patch_{record.name}",
            patch,
            [key, _parameter("data", record.update_schema), *writer],
            record.read,
        )
    )
