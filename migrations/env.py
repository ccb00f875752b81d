"""Alembic environment: the URL comes from Parley's settings, batch mode on SQLite."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, String, Text
from sqlalchemy.types import TypeEngine

import app.models  # noqa: F401  (registers every table on the metadata)
from app.core.base import Base
from app.core.database import create_db_engine
from app.core.settings import load_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata

# Full-text search lives outside the metadata (migrations 0002, 0015 and 0018): SQLite's FTS5
# table with its shadow tables, the generated search_key column and its index, and the
# search_choices column, and PostgreSQL's generated search_vector column and its index. Left
# out of autogenerate's comparison.
SEARCH_OBJECTS = (
    "event_fts",
    "search_vector",
    "ix_event_search_vector",
    "search_key",
    "ix_event_search_key",
    "search_choices",
)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    return not (name and name.startswith(SEARCH_OBJECTS))


def compare_type(
    context: object,
    inspected_column: object,
    metadata_column: object,
    inspected_type: TypeEngine[object],
    metadata_type: TypeEngine[object],
) -> bool | None:
    """SQLite keeps text of any length whatever a VARCHAR declares, so a length changed in the
    models (migration 0011) is no difference there; widening it would mean copying the
    table. Everything else is compared as Alembic does (None)."""
    sqlite = getattr(getattr(context, "dialect", None), "name", "") == "sqlite"
    strings = [t for t in (inspected_type, metadata_type) if isinstance(t, String)]
    if sqlite and len(strings) == 2 and not any(isinstance(t, Text) for t in strings):
        return False
    return None


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=compare_type,
        include_name=include_name,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=config.attributes.get("database_url") or load_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # A caller (the CLI, the tests) may hand over its own connection or URL.
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.attributes.get("database_url") or load_settings().database_url
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
