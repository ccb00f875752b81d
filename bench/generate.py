"""Synthetic but realistic events, written in bulk: executemany on SQLite, COPY on PostgreSQL.

The rows are what the services would write (same columns, same `starts_at` and `search_text`
rules), only made much faster than one `service.create` per event could. Revisions are not
written: no benchmarked read touches them.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import JSON as JSONType
from sqlalchemy import Boolean as BooleanType
from sqlalchemy import Date, DateTime, Time, create_engine, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import make_url

from app.common.slugs import slugify
from app.core.base import Base, UTCDateTime
from bench import world

FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2026, 12, 31)
BATCH = 20_000

KIND_WEIGHTS = {
    "statement": 35,
    "talks": 15,
    "meeting": 15,
    "call": 14,
    "proposal": 8,
    "agreement": 4,
    "other": 9,
}
STATUS_WEIGHTS = {"held": 88, "scheduled": 4, "tentative": 3, "postponed": 3, "cancelled": 2}
LINK_KIND_WEIGHTS = {
    "follows_up": 5,
    "responds_to": 4,
    "announces": 2,
    "reschedules": 1,
    "related": 3,
}

# Pairs of states (by index in world.STATES) whose dealings the events are about, most
# frequent first: a realistic timeline is dominated by one or two threads.
CONFLICTS = [
    (0, 1, 40), (0, 2, 14), (1, 2, 12), (0, 3, 5), (1, 3, 4), (0, 4, 4), (1, 4, 4), (0, 5, 3),
    (0, 7, 3), (1, 9, 3), (1, 8, 3), (0, 12, 2), (13, 0, 2), (14, 0, 2), (15, 16, 3), (18, 2, 3),
    (19, 18, 2), (11, 12, 1), (1, 11, 2), (6, 2, 1), (17, 0, 1), (21, 0, 1), (24, 1, 1),
]  # fmt: skip


def _weighted(weights: dict[str, int]) -> tuple[list[str], list[int]]:
    return list(weights), list(weights.values())


# --- the cast ------------------------------------------------------------------------------


class Cast:
    """States, their people and delegations, organizations, places, tags and series, with ids."""

    def __init__(self, rng: random.Random) -> None:
        self.actors: list[dict[str, Any]] = []
        self.state_ids: list[int] = []
        self.people_of: dict[int, list[int]] = {}
        self.org_ids: list[int] = []
        taken: set[str] = set()

        def add_actor(name: str, kind: str, **extra: Any) -> int:
            slug = slugify(name)
            while slug in taken:
                slug += "-x"
            taken.add(slug)
            row = {
                "id": len(self.actors) + 1,
                "slug": slug,
                "name": name,
                "aliases": extra.pop("aliases", []),
                "kind": kind,
                "title": extra.pop("title", None),
                "description": extra.pop("description", None),
                "affiliation_id": extra.pop("affiliation_id", None),
            }
            self.actors.append(row)
            return int(row["id"])

        for name, aliases in world.STATES:
            self.state_ids.append(add_actor(name, "state", aliases=aliases))
        for state_index, state_id in enumerate(self.state_ids):
            state_name = world.STATES[state_index][0]
            people = []
            for office in world.OFFICES:
                first = rng.choice(world.FIRST_NAMES)
                last = rng.choice(world.LAST_NAMES)
                aliases = [f"{first[0]}. {last}"] if rng.random() < 0.3 else []
                people.append(
                    add_actor(
                        f"{first} {last}",
                        "person",
                        aliases=aliases,
                        title=f"{office} of {state_name}",
                        affiliation_id=state_id,
                    )
                )
            if state_index < 10:
                people.append(
                    add_actor(
                        f"{state_name} delegation",
                        "delegation",
                        affiliation_id=state_id,
                        description=f"The negotiating team of {state_name}.",
                    )
                )
            self.people_of[state_id] = people
        for name, aliases in world.ORGANIZATIONS:
            self.org_ids.append(add_actor(name, "organization", aliases=aliases))
        self.by_id = {row["id"]: row for row in self.actors}

        self.places: list[dict[str, Any]] = [
            {
                "id": i + 1,
                "slug": slugify(name),
                "name": name,
                "aliases": aliases,
                "country": country,
                "latitude": lat,
                "longitude": lon,
                "timezone": tz,
            }
            for i, (name, aliases, country, lat, lon, tz) in enumerate(world.PLACES)
        ]
        # A few venues host most rounds.
        self.place_weights = [max(1, 30 // (i + 1)) for i in range(len(self.places))]

        self.tags: list[dict[str, Any]] = [
            {"id": i + 1, "slug": slugify(name), "name": name}
            for i, (name, _weight) in enumerate(world.TOPICS)
        ]
        self.tag_weights = [weight for _name, weight in world.TOPICS]

        self.conflicts = [(self.state_ids[a], self.state_ids[b]) for a, b, _w in CONFLICTS]
        self.conflict_weights = [w for _a, _b, w in CONFLICTS]
        # Every conflict has a few series of rounds, each hosted in one place.
        self.series: list[dict[str, Any]] = []
        self.series_of: dict[int, list[int]] = {}
        for index, (a, b) in enumerate(self.conflicts):
            names = (self.by_id[a]["name"], self.by_id[b]["name"])
            for number in range(8):
                place = self.places[(index * 3 + number * 7) % len(self.places)]
                title = f"{place['name']} talks between {names[0]} and {names[1]}"
                if number:
                    title += f" ({number + 1})"
                self.series.append(
                    {
                        "id": len(self.series) + 1,
                        "slug": slugify(title),
                        "title": title,
                        "description": f"Rounds of talks in {place['name']}.",
                        "place_index": place["id"] - 1,
                    }
                )
                self.series_of.setdefault(index, []).append(len(self.series) - 1)


# --- events --------------------------------------------------------------------------------


class Rows:
    """The rows of one batch of events, table by table."""

    def __init__(self) -> None:
        self.event: list[tuple[Any, ...]] = []
        self.participation: list[tuple[Any, ...]] = []
        self.source: list[tuple[Any, ...]] = []
        self.citation: list[tuple[Any, ...]] = []
        self.event_tag: list[tuple[Any, ...]] = []
        self.event_link: list[tuple[Any, ...]] = []


EVENT_COLUMNS = (
    "id", "slug", "title", "summary", "body", "kind", "status", "start_date", "start_time",
    "end_date", "end_time", "date_precision", "date_approximate", "timezone", "starts_at",
    "place_id", "series_id", "round", "version", "search_text", "created_at", "updated_at",
    "deleted_at",
)  # fmt: skip
COLUMNS = {
    "event": EVENT_COLUMNS,
    "participation": ("id", "event_id", "actor_id", "role"),
    "source": ("id", "url", "publisher", "title", "published_on", "language"),
    "citation": ("id", "event_id", "source_id", "quote", "speaker_id", "position"),
    "event_tag": ("event_id", "tag_id"),
    "event_link": ("id", "from_event_id", "to_event_id", "kind"),
}


class EventMaker:
    """Makes events in date order; ids of every table are counted here."""

    def __init__(self, cast: Cast, size: int, rng: random.Random) -> None:
        self.cast = cast
        self.size = size
        self.rng = rng
        self.days = (LAST_DAY - FIRST_DAY).days + 1
        self.kinds, self.kind_weights = _weighted(KIND_WEIGHTS)
        self.statuses, self.status_weights = _weighted(STATUS_WEIGHTS)
        self.link_kinds, self.link_weights = _weighted(LINK_KIND_WEIGHTS)
        self.next_id = {"participation": 1, "source": 1, "citation": 1, "event_link": 1}
        self.rounds: dict[int, int] = {}
        self.recent_sources: list[int] = []
        self.publishers = world.PUBLISHERS

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def batches(self) -> Iterator[Rows]:
        rows = Rows()
        for index in range(self.size):
            self.add(rows, index)
            if len(rows.event) >= BATCH:
                yield rows
                rows = Rows()
        if rows.event:
            yield rows

    def add(self, rows: Rows, index: int) -> None:
        rng, cast = self.rng, self.cast
        event_id = index + 1
        day = FIRST_DAY + dt.timedelta(days=index * self.days // self.size)
        kind = rng.choices(self.kinds, self.kind_weights)[0]
        status = rng.choices(self.statuses, self.status_weights)[0]
        conflict = rng.choices(range(len(cast.conflicts)), cast.conflict_weights)[0]
        side_a, side_b = cast.conflicts[conflict]
        place_index = rng.choices(range(len(cast.places)), cast.place_weights)[0]
        series_index: int | None = None
        round_number: int | None = None
        if kind in ("talks", "meeting") and rng.random() < 0.4:
            series_index = rng.choice(cast.series_of[conflict])
            place_index = cast.series[series_index]["place_index"]
            round_number = self.rounds.get(series_index, 0) + 1
            self.rounds[series_index] = round_number
        place = cast.places[place_index]
        tag_ids = sorted(
            set(rng.choices(range(len(cast.tags)), cast.tag_weights, k=rng.randint(0, 3)))
        )
        topics = [cast.tags[t]["name"].lower() for t in tag_ids] or ["the next steps"]
        name_a, name_b = cast.by_id[side_a]["name"], cast.by_id[side_b]["name"]

        participants: list[tuple[int, str]] = [(side_a, "party"), (side_b, "party")]
        mediator: int | None = None
        if rng.random() < 0.5:
            mediator = rng.choice(cast.org_ids + cast.state_ids[2:12])
            if mediator not in (side_a, side_b):
                participants.append((mediator, "mediator"))
        speaker_pool = cast.people_of[side_a] + cast.people_of[side_b]
        speakers = rng.sample(speaker_pool, k=rng.randint(0, 2))
        participants += [(person, "speaker") for person in speakers]
        if kind in ("talks", "meeting") and rng.random() < 0.5:
            participants.append((rng.choice(cast.people_of[side_a]), "delegate"))

        verb = rng.choice(world.VERBS[kind])
        if kind == "statement" and speakers:
            title = f"{cast.by_id[speakers[0]]['name']} on {topics[0]}"
        else:
            title = f"{name_a} and {name_b} {verb} {place['name']}"
        tone = rng.choice(world.TONES)
        sentences = [
            rng.choice(world.SENTENCES).format(
                tone=tone, topic=rng.choice(topics), days=rng.randint(3, 30)
            )
            for _ in range(rng.randint(2, 5))
        ]
        summary = (
            f"{name_a} and {name_b} {verb} {place['name']} on {', '.join(topics)}. {sentences[0]}"
        )
        cut = max(1, len(sentences) // 2)
        body = " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])

        has_time = rng.random() < 0.6
        precision = "day" if has_time else rng.choices(["day", "month", "year"], [88, 9, 3])[0]
        start_time = dt.time(rng.randint(7, 21), rng.choice((0, 15, 30, 45))) if has_time else None
        end_date = None
        end_time = None
        if kind == "talks" and precision == "day" and rng.random() < 0.3:
            end_date = day + dt.timedelta(days=rng.randint(1, 3))
        elif start_time is not None and rng.random() < 0.3:
            end_time = dt.time(min(23, start_time.hour + rng.randint(1, 2)), start_time.minute)
        starts_at = dt.datetime.combine(day, start_time or dt.time.min)
        created_at = dt.datetime.combine(
            day + dt.timedelta(days=rng.randint(0, 3)), dt.time(rng.randint(0, 23)), dt.UTC
        )
        deleted_at = created_at + dt.timedelta(days=1) if rng.random() < 0.005 else None
        updated_at = deleted_at or created_at

        for actor_id, role in participants:
            rows.participation.append((self._id("participation"), event_id, actor_id, role))
        quotes: list[str] = []
        quoted: list[int] = []
        for position in range(rng.choices((0, 1, 2, 3), (5, 55, 30, 10))[0]):
            if self.recent_sources and rng.random() < 0.4:
                source_id = rng.choice(self.recent_sources)
            else:
                source_id = self._id("source")
                publisher, language = rng.choice(self.publishers)
                host = slugify(publisher)
                rows.source.append(
                    (
                        source_id,
                        f"https://{host}.example/{day:%Y/%m/%d}/{slugify(title)}-{source_id}",
                        publisher,
                        f"{title} ({publisher})",
                        day + dt.timedelta(days=rng.randint(0, 2)),
                        language,
                    )
                )
                self.recent_sources.append(source_id)
                if len(self.recent_sources) > 50:
                    self.recent_sources.pop(0)
            speaker = rng.choice(speaker_pool) if rng.random() < 0.8 else None
            quote = rng.choice(world.QUOTES).format(topic=rng.choice(topics), tone=tone)
            quotes.append(quote)
            if speaker is not None:
                quoted.append(speaker)
            rows.citation.append(
                (self._id("citation"), event_id, source_id, quote, speaker, position)
            )
        for tag_index in tag_ids:
            rows.event_tag.append((event_id, cast.tags[tag_index]["id"]))
        if event_id > 10 and rng.random() < 0.08:
            target = rng.randint(max(1, event_id - 2000), event_id - 1)
            kind_of_link = rng.choices(self.link_kinds, self.link_weights)[0]
            rows.event_link.append((self._id("event_link"), event_id, target, kind_of_link))

        series = cast.series[series_index] if series_index is not None else None
        rows.event.append(
            (
                event_id,
                f"{slugify(f'{day.isoformat()} {title}')}-{event_id}",
                title,
                summary,
                body,
                kind,
                status,
                day,
                start_time,
                end_date,
                end_time,
                precision,
                rng.random() < 0.05,
                place["timezone"] if rng.random() < 0.3 else None,
                starts_at,
                place["id"],
                series["id"] if series else None,
                round_number,
                1,
                self._search_text(
                    title,
                    summary,
                    body,
                    place,
                    quotes,
                    [a for a, _ in participants] + quoted,
                    tag_ids,
                    series,
                ),
                created_at,
                updated_at,
                deleted_at,
            )
        )

    def _search_text(
        self,
        title: str,
        summary: str,
        body: str,
        place: dict[str, Any],
        quotes: list[str],
        actor_ids: list[int],
        tag_ids: list[int],
        series: dict[str, Any] | None,
    ) -> str:
        """What app.events.service.search_text makes of the same event, part for part."""
        parts = [title, summary, body, place["name"], *place["aliases"], *quotes]
        for actor_id in dict.fromkeys(actor_ids):
            actor = self.cast.by_id[actor_id]
            parts += [actor["name"], *actor["aliases"]]
        parts += [self.cast.tags[t]["name"] for t in sorted(tag_ids, key=self._tag_name)]
        if series is not None:
            parts.append(series["title"])
        return "\n".join(part for part in parts if part)

    def _tag_name(self, tag_index: int) -> str:
        return str(self.cast.tags[tag_index]["name"])


# --- writing -------------------------------------------------------------------------------


def _sqlite_converters(table: str, columns: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    """Per column, how SQLAlchemy would store a Python value in SQLite (checked in _check)."""
    converters: list[Callable[[Any], Any] | None] = []
    for name in columns:
        column_type = Base.metadata.tables[table].c[name].type
        impl = getattr(column_type, "impl", column_type)
        if isinstance(impl, DateTime):
            converters.append(_sqlite_datetime)
        elif isinstance(impl, Date):
            converters.append(_sqlite_date)
        elif isinstance(impl, Time):
            converters.append(_sqlite_time)
        elif isinstance(impl, BooleanType):
            converters.append(_sqlite_bool)
        elif isinstance(impl, JSONType):
            converters.append(json.dumps)
        else:
            converters.append(None)
    return converters


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(sep=" ", timespec="microseconds")


def _sqlite_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_time(value: dt.time | None) -> str | None:
    return None if value is None else value.isoformat(timespec="microseconds")


def _sqlite_bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _check_sqlite_formats() -> None:
    """Our fast converters store exactly what SQLAlchemy's own would (or keyset paging breaks)."""
    dialect = sqlite.dialect()
    samples: list[tuple[Any, Callable[[Any], Any], Any]] = [
        (DateTime(), _sqlite_datetime, dt.datetime(2014, 3, 5, 0, 0)),
        (DateTime(), _sqlite_datetime, dt.datetime(2014, 3, 5, 9, 30, 0, 12)),
        (UTCDateTime(), _sqlite_datetime, dt.datetime(2014, 3, 5, 9, 30, tzinfo=dt.UTC)),
        (Date(), _sqlite_date, dt.date(2001, 2, 3)),
        (Time(), _sqlite_time, dt.time(9, 15)),
        (BooleanType(), _sqlite_bool, True),
    ]
    for column_type, ours, value in samples:
        theirs = column_type.dialect_impl(dialect).bind_processor(dialect)
        expected = theirs(value) if theirs else value
        assert ours(value) == expected, (column_type, ours(value), expected)


class Writer:
    """Inserts rows of one table at a time, the fast way each database offers."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        if self.is_sqlite:
            import sqlite3

            _check_sqlite_formats()
            self.connection: Any = sqlite3.connect(
                str(make_url(url).database), isolation_level=None
            )
            for pragma in (
                "journal_mode=OFF",
                "synchronous=OFF",
                "cache_size=-1000000",
                "temp_store=MEMORY",
            ):
                self.connection.execute(f"PRAGMA {pragma}")
            self.connection.execute("BEGIN")
        else:
            import psycopg

            parsed = make_url(url).set(drivername="postgresql")
            self.connection = psycopg.connect(parsed.render_as_string(hide_password=False))

    def insert(
        self, table: str, rows: Sequence[dict[str, Any]] | Sequence[tuple[Any, ...]]
    ) -> None:
        if not rows:
            return
        if isinstance(rows[0], dict):
            columns: Sequence[str] = list(rows[0])
            tuples = [tuple(row[c] for c in columns) for row in rows]  # type: ignore[call-overload]
        else:
            columns = COLUMNS[table]
            tuples = list(rows)  # type: ignore[arg-type]
        if self.is_sqlite:
            converters = _sqlite_converters(table, columns)
            if any(converters):
                tuples = [
                    tuple(
                        f(v) if f is not None else v for f, v in zip(converters, row, strict=True)
                    )
                    for row in tuples
                ]
            marks = ", ".join("?" for _ in columns)
            self.connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", tuples
            )
        else:
            with (
                self.connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in tuples:
                    copy.write_row(tuple(json.dumps(v) if isinstance(v, list) else v for v in row))

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        cursor = self.connection.execute(sql)
        try:
            return list(cursor.fetchall())
        except Exception:  # statements without rows
            return []

    def commit(self) -> None:
        if self.is_sqlite:
            self.connection.execute("COMMIT")
        else:
            self.connection.commit()

    def close(self) -> None:
        self.connection.close()


BULK_TABLES = ("event", "participation", "source", "citation", "event_tag", "event_link")


def _set_aside_indexes(writer: Writer) -> list[str]:
    """Drop the secondary indexes and triggers of the bulk tables; give back how to remake them.

    Building an index once over sorted data is many times faster than keeping it up to date
    row by row. Unique constraints stay, so the data is still checked.
    """
    names = ", ".join(f"'{t}'" for t in BULK_TABLES)
    if writer.is_sqlite:
        found = writer.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            f"AND tbl_name IN ({names}) AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
        )
        for kind, name, _sql in found:
            writer.execute(f'DROP {kind.upper()} "{name}"')
        return [sql for _kind, _name, sql in found]
    found = writer.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        f"AND tablename IN ({names}) AND indexdef NOT LIKE 'CREATE UNIQUE%'"
    )
    for name, _definition in found:
        writer.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def _fill_full_text_index(writer: Writer) -> None:
    """With the triggers set aside, the SQLite full-text table is filled once at the end."""
    if not writer.is_sqlite:
        return
    tables = writer.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5(%'"
    )
    for name, sql in tables:
        if "content=" in sql.replace(" ", "").lower():
            writer.execute(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')
        else:
            writer.execute(
                f'INSERT INTO "{name}"(rowid, search_text) SELECT id, search_text FROM event'
            )


def fill(url: str, size: int, *, seed: int = 2026, log: Callable[[str], None] = print) -> None:
    """Write `size` events and everything they refer to into a migrated, empty database."""
    rng = random.Random(seed)
    cast = Cast(rng)
    maker = EventMaker(cast, size, rng)
    writer = Writer(url)
    started = time.perf_counter()
    try:
        writer.insert("actor", [{k: v for k, v in a.items()} for a in cast.actors])
        writer.insert("place", cast.places)
        writer.insert("tag", cast.tags)
        writer.insert(
            "series", [{k: v for k, v in s.items() if k != "place_index"} for s in cast.series]
        )
        remake = _set_aside_indexes(writer)
        done = 0
        for rows in maker.batches():
            # Sources before the citations that point at them.
            for table in BULK_TABLES:
                writer.insert(table, getattr(rows, table))
            done += len(rows.event)
            if done % 200_000 == 0 or done == size:
                log(f"  {done:>9,} events written ({time.perf_counter() - started:.0f} s)")
        log(f"  building {len(remake)} indexes and the full-text index")
        for sql in remake:
            if not sql.upper().startswith("CREATE TRIGGER"):
                writer.execute(sql)
        _fill_full_text_index(writer)
        for sql in remake:
            if sql.upper().startswith("CREATE TRIGGER"):
                writer.execute(sql)
        if not writer.is_sqlite:
            for table in ("actor", "place", "tag", "series", *BULK_TABLES):
                if table != "event_tag":
                    writer.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
        writer.commit()
        if writer.is_sqlite:
            writer.execute("PRAGMA journal_mode=WAL")
    finally:
        writer.close()
    if not writer.is_sqlite:
        # What autovacuum would have done by the time a real database had this many rows.
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))
        engine.dispose()
    log(f"  done in {time.perf_counter() - started:.0f} s")
