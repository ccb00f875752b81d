"""A generated database per size, kept for re-runs, and the requests each case makes."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app.cli import alembic_config, fill_documents, migrate
from app.core.database import Database
from app.core.settings import ROOT
from app.events.listing import encode_cursor
from app.events.models import Event
from bench import GENERATOR_VERSION
from bench.generate import fill

BENCH_DIR = ROOT / "var" / "bench"


def schema_head() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()  # type: ignore[arg-type]
    return str(head)


def database_url(base_url: str | None, size: int) -> str:
    if base_url is None:
        return f"sqlite:///{BENCH_DIR / f'sqlite-{size}.db'}"
    return make_url(base_url).set(database=f"parley_bench_{size}").render_as_string(False)


def _marker(size: int) -> dict[str, object]:
    return {"size": size, "generator": GENERATOR_VERSION}


def _read_marker(url: str) -> dict[str, object] | None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(f"{parsed.database}.json")
        return json.loads(path.read_text()) if path.exists() else None
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            comment = connection.scalar(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :name"
                ),
                {"name": parsed.database},
            )
    finally:
        admin.dispose()
    return json.loads(comment) if comment else None


def _write_marker(url: str, marker: dict[str, object]) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(f"{parsed.database}.json").write_text(json.dumps(marker) + "\n")
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        literal = json.dumps(marker).replace("'", "''")
        connection.execute(text(f"COMMENT ON DATABASE \"{parsed.database}\" IS '{literal}'"))
    admin.dispose()


def _recreate(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm", ".json"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def ensure(url: str, size: int, *, regenerate: bool = False) -> None:
    """A database at the schema head holding `size` generated events; made only when needed."""
    marker = None if regenerate else _read_marker(url)
    if marker == _marker(size):
        # Same data, maybe an older schema: a migration is enough.
        migrate(url)
        return
    print(f"Generating {size:,} events into {make_url(url).render_as_string(True)}")
    _recreate(url)
    migrate(url)
    fill(url, size)
    # Written in bulk, the events have no stored answers yet: made once, as an upgrade would.
    started = time.perf_counter()
    made = fill_documents(url)
    print(f"  {made:,} event documents in {time.perf_counter() - started:.0f} s")
    _write_marker(url, _marker(size))


@dataclass
class Case:
    name: str
    paths: list[str]


def cases(url: str, *, search_word: str, actor: str) -> list[Case]:
    """The requests of every case, chosen from what this database holds."""
    database = Database(url)
    try:
        with database.session() as session:
            live = Event.deleted_at.is_(None)
            count = session.scalar(select(func.count()).select_from(Event).where(live)) or 0
            # The cursor the list would have handed out after the row 90% of the way down.
            row = session.execute(
                select(Event.starts_at, Event.id)
                .where(live)
                .order_by(Event.starts_at, Event.id)
                .offset(int(count * 0.9) - 1)
                .limit(1)
            ).one()
            cursor = encode_cursor((row.starts_at, row.id), "asc")
            rng = random.Random(7)
            ids = [rng.randint(1, count) for _ in range(200)]
            slugs = list(session.scalars(select(Event.slug).where(Event.id.in_(ids), live)))
            first, last = session.execute(
                select(func.min(Event.start_date), func.max(Event.start_date))
            ).one()
    finally:
        database.dispose()
    # The middle third of the time span: wide enough that 10k events still fill a page.
    span = last - first
    window = {"from": str(first + span / 3), "to": str(first + 2 * span / 3)}
    filtered = urlencode({"actor": actor, "kind": "talks", **window})
    return [
        Case("first page", ["/api/v1/events?limit=50"]),
        Case("page 90% deep", [f"/api/v1/events?limit=50&cursor={cursor}"]),
        Case("filtered page", [f"/api/v1/events?limit=50&{filtered}"]),
        Case("search", [f"/api/v1/events?limit=50&{urlencode({'q': search_word})}"]),
        Case("single event", [f"/api/v1/events/{slug}" for slug in slugs]),
    ]
