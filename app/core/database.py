"""The database engine and its sessions, for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import SingletonThreadPool

from app.core.data_version import track_changes
from app.core.group_commit import GroupCommit
from app.core.storage import StorageState

#: How long a SQLite writer waits for another one before giving up, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling would issue a deferred BEGIN late; we take over
    # so that writers start with BEGIN IMMEDIATE and wait on busy_timeout instead of
    # failing with "database is locked" when they try to upgrade a read lock.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode:  # "" for single statements, which SQLite runs in a transaction of their own
            conn.exec_driver_sql(f"BEGIN {mode}")


def _in_memory(url: str) -> bool:
    """Whether a SQLite URL names a database in memory, which each engine would have apart."""
    database = make_url(url).database or ""
    return database in ("", ":memory:") or "mode=memory" in database


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # A "file:" URI (with uri=true) names its file itself: nothing to make.
        if not _in_memory(url) and not str(parsed.database).startswith("file:"):
            Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return create_engine(url, **kwargs)


_WROTE = "parley_wrote"


def _note_write(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


def _forget_write(session: Session) -> None:
    # A SAVEPOINT rolled back leaves the writes before it, which the COMMIT still saves.
    if not session.in_nested_transaction():
        session.info.pop(_WROTE, None)


def _writers_engine(url: str, engine: Engine, engine_kwargs: dict[str, Any]) -> Engine:
    """Where writes go. SQLite takes one writer at a time, so its writers share one connection,
    waiting for it in the pool as long as they would wait for the lock. A connection of each
    writer's own would find its page cache stale (another one wrote since) and read again
    every page a write touches: with 8 writers at once, 50-65 more reads a write and 1.2-1.5
    ms more CPU; with one, none. PostgreSQL's writers share the engine's pool."""
    if engine.dialect.name != "sqlite" or _in_memory(url):
        return engine
    wait = SQLITE_BUSY_TIMEOUT_MS / 1000
    one = {"pool_size": 1, "max_overflow": 0, "pool_timeout": wait}
    return create_db_engine(url, **{**engine_kwargs, **one})


def _autocommit_engine(url: str, engine: Engine, engine_kwargs: dict[str, Any]) -> Engine:
    """For one-statement reads on the hot path (the data version): no BEGIN, no ROLLBACK, and
    on PostgreSQL no ping per checkout, so the read is one round trip. A dropped connection
    fails that read and is replaced; callers fall back to the full path."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(sqlite_begin="")
    own = {"isolation_level": "AUTOCOMMIT", "pool_pre_ping": False}
    return create_db_engine(url, **{**engine_kwargs, **own, "pool_size": 4, "max_overflow": 8})


class Database:
    """The database's engines and its kinds of session: reading, quick reading (a statement
    at a time), and writing (BEGIN IMMEDIATE on SQLite)."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = create_db_engine(url, **engine_kwargs)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        #: The last write the database refused (read-only, full), for the answers and /healthz.
        self.storage = StorageState()
        #: Where writes go: on SQLite, one connection (`_writers_engine`).
        self.write_engine = _writers_engine(url, self.engine, engine_kwargs)
        write_engine = (
            self.write_engine.execution_options(sqlite_begin="IMMEDIATE")
            if self.is_sqlite
            else self.write_engine
        )
        #: For one-statement reads on the hot path (`_autocommit_engine`).
        self.autocommit_engine = _autocommit_engine(url, self.engine, engine_kwargs)
        #: Where the data version is read on every cached answer. On SQLite: a connection of
        #: each thread's own (the event loop reads it there, see `app.web.answer_cache`), so
        #: the read never waits for the pool that the request threads share.
        self.version_engine = (
            create_db_engine(url, poolclass=SingletonThreadPool).execution_options(sqlite_begin="")
            if self.is_sqlite
            else self.autocommit_engine
        )
        self.read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Reads that change nothing and need no snapshot across their statements (an API
        # page of stored answers): on SQLite each statement is its own transaction, so no
        # BEGIN and no COMMIT go to the database; PostgreSQL keeps its pinged pool.
        self.quick_read_sessions = sessionmaker(
            self.autocommit_engine if self.is_sqlite else self.engine, expire_on_commit=False
        )
        self.write_sessions = sessionmaker(write_engine, expire_on_commit=False)
        #: The API's event writes, committed together when they come at once.
        self.group_commit = GroupCommit(partial(self.session, write=True))

        track_changes(self.read_sessions)
        track_changes(self.write_sessions)
        # A committed write says the database takes writes again (/healthz stops saying no).
        event.listen(self.write_sessions, "after_flush", _note_write)
        event.listen(self.write_sessions, "after_commit", self._note_stored)
        event.listen(self.write_sessions, "after_rollback", _forget_write)

    def _note_stored(self, session: Session) -> None:
        if session.info.pop(_WROTE, False):
            self.storage.stored()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session that commits once at the end, or rolls back on any error."""
        factory = self.write_sessions if write else self.read_sessions
        with factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.group_commit.close()
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()
        if self.autocommit_engine is not self.engine:
            self.autocommit_engine.dispose()
        if self.version_engine is not self.autocommit_engine:
            self.version_engine.dispose()
