"""The application factory: settings, database, routers, error handlers, static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import __version__, csrf, sessions, web
from app.answer_cache import AnswerCache
from app.changes import KeptWhileUnchanged
from app.config import ROOT, Settings, get_settings
from app.db import Database
from app.errors import install_error_handlers


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    owns_database = database is None
    db = database or Database(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owns_database:
            db.dispose()

    app = FastAPI(
        title=settings.site_title,
        version=__version__,
        summary="A sourced, browsable timeline of a negotiation.",
        lifespan=lifespan,
        # /docs is served by app.api_docs from vendored files (no CDN, no inline script).
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    # Read once: with no PARLEY_SECRET_KEY it comes from a file, and every page needs it.
    app.state.secret_key = settings.resolved_secret_key()
    app.state.db = db
    # Counts over every matching event for the timeline page, while nothing is written.
    app.state.kept_aggregates = KeptWhileUnchanged[Any](budget=256)
    install_error_handlers(app)
    sessions.install(app)

    from app import api_common, api_docs, health, pages
    from app.actors import api as actors_api
    from app.actors import pages as actor_pages
    from app.events import api as events_api
    from app.events import pages as event_pages
    from app.guard import ApiRequestGuard
    from app.places import api as places_api
    from app.places import pages as place_pages
    from app.series import api as series_api
    from app.series import pages as series_pages
    from app.sources import api as sources_api
    from app.tags import api as tags_api
    from app.timeline import api as timeline_api

    app.include_router(health.router)
    app.include_router(events_api.router)
    for api_module in (actors_api, places_api, series_api, tags_api, sources_api):
        app.include_router(api_module.router)
    # The editing routes go before the event pages: /events/new must not be read as a slug.
    from app.events import edit_pages
    from app.suggestions import pages as suggestion_pages
    from app.users import pages as user_pages

    app.include_router(user_pages.router)
    app.include_router(edit_pages.router)
    app.include_router(suggestion_pages.router)
    app.include_router(timeline_api.router)
    for page_module in (pages, event_pages, actor_pages, place_pages, series_pages):
        app.include_router(page_module.router)
    api_common.install(app)
    api_docs.install(app)
    # Innermost: a cached answer still passes the guard, CORS and the security headers.
    app.add_middleware(
        AnswerCache, database=db, budget_bytes=settings.response_cache_mb * 1024 * 1024
    )
    app.add_middleware(csrf.CsrfMiddleware)
    app.add_middleware(ApiRequestGuard)
    # Last added is outermost: security headers go on every answer, the refusals of the
    # cross-site check and of the API guard included.
    web.install(app)
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    return app
