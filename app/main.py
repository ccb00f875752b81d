"""The application factory: settings, database, routers, error path, middleware, static files."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from app import (
    __version__,
    models,  # noqa: F401  (every table, and the listeners every write goes through)
)
from app.actors import api as actors_api
from app.core import workers
from app.core.data_version import KeptWhileUnchanged
from app.core.database import Database
from app.core.settings import ROOT, Settings, get_settings
from app.events import api as events_api
from app.events import editing as event_editing
from app.events import import_pages
from app.events import pages as event_pages
from app.exports import api as exports_api
from app.media import api as media_api
from app.media import pages as media_pages
from app.places import api as places_api
from app.series import api as series_api
from app.sources import api as sources_api
from app.suggestions import pages as suggestion_pages
from app.tags import api as tags_api
from app.timeline import api as timeline_api
from app.timeline import embed as timeline_embed
from app.timeline import pages as timeline_pages
from app.timeline import record_pages
from app.users import pages as user_pages
from app.web import api_docs, health, problems, site
from app.web.answer_cache import AnswerCache
from app.web.csrf import CsrfMiddleware, verify_csrf
from app.web.guard import ApiRequestGuard, refuse_repeated_parameters
from app.web.headers import SecurityHeaders
from app.web.limits import PageRequestLimits, refuse_nul_fields

#: The JSON routes under /api/v1.
API_ROUTERS: tuple[APIRouter, ...] = (
    exports_api.router,
    events_api.router,
    actors_api.router,
    places_api.router,
    series_api.router,
    tags_api.router,
    sources_api.router,
    timeline_api.router,
    media_api.router,
)
#: The HTML routes, in matching order: the editing routes go before the event pages, so that
#: /events/new is not read as a slug.
PAGE_ROUTERS: tuple[APIRouter, ...] = (
    user_pages.router,
    event_editing.router,
    suggestion_pages.router,
    timeline_pages.router,
    timeline_embed.router,
    event_pages.router,
    record_pages.router,
    media_pages.router,
)


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    workers.die_with_parent()
    owns_database = database is None
    db = database or Database(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # What start-up made (modules, the app, its routes and schemas) lives as long as
        # the process: set aside from the collector, a full collection walks only what
        # answers make, instead of pausing a request for 50-100 ms (seen in p99).
        gc.collect()
        gc.freeze()
        yield
        gc.unfreeze()
        if owns_database:
            db.dispose()

    app = FastAPI(
        title=settings.site_title,
        version=__version__,
        summary="A sourced, browsable timeline of a negotiation.",
        lifespan=lifespan,
        # /docs is served by app.web.api_docs from vendored files (no CDN, no inline script).
        docs_url=None,
        redoc_url=None,
        # Operation ids are the route functions' names (list_events, patch_event), so that a
        # generated client reads well; the names are unique across the API.
        generate_unique_id_function=_operation_id,
    )
    app.state.settings = settings
    # Read once: with no PARLEY_SECRET_KEY it comes from a file, and every page needs it.
    app.state.secret_key = settings.resolved_secret_key()
    app.state.db = db
    # Counts over every matching event for the timeline page, while nothing is written.
    app.state.kept_aggregates = KeptWhileUnchanged[Any](budget=256)
    problems.install(app)
    site.install()
    app.include_router(health.router)
    # A parameter that takes one value may not be given twice.
    for router in API_ROUTERS:
        app.include_router(router, dependencies=[Depends(refuse_repeated_parameters)])
    # Every form, whichever page it is on, carries this browser's token, and no NUL in its text.
    for router in PAGE_ROUTERS:
        app.include_router(router, dependencies=[Depends(verify_csrf), Depends(refuse_nul_fields)])
    # An upload over the import limit is refused before its form is read, token and all.
    app.include_router(
        import_pages.router,
        dependencies=[
            Depends(import_pages.refuse_large),
            Depends(verify_csrf),
            Depends(refuse_nul_fields),
        ],
    )
    api_docs.install(app)
    _add_middleware(app, db, settings)
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    return app


def _add_middleware(app: FastAPI, db: Database, settings: Settings) -> None:
    """The last added runs first: security headers go on every answer, the refusals of the
    cross-site check and of the guards included; a cached answer still passes the guard, and
    a form's size is checked before anything parses it."""
    app.add_middleware(
        AnswerCache, database=db, budget_bytes=settings.response_cache_mb * 1024 * 1024
    )
    app.add_middleware(CsrfMiddleware)
    app.add_middleware(ApiRequestGuard)
    app.add_middleware(PageRequestLimits)
    app.add_middleware(SecurityHeaders)
