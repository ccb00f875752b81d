"""Full-text search over Event.search_text: SQLite FTS5 or PostgreSQL text search, one API.

The index itself is made by migration 0002; on SQLite its rows are keyed by the event's day
and id (`key`, migration 0015), so that it hands out matches in date order. Here the user's
`q` becomes a query the database cannot misread (every word quoted, each matched as a
prefix), and two SQL constructs render the match and its rank in each database's own
dialect, so the event service builds one query for both. On SQLite a search's words may be
spelled out first as the words of the index they begin (`expand`), which FTS5 reads lazily.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import time
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    Integer,
    Select,
    bindparam,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.core.kept import kept

#: The longest `q` accepted; longer is an input error, not a slow query.
MAX_QUERY_LENGTH = 500
#: Words beyond this many are ignored: they would only narrow an already narrow search.
MAX_WORDS = 16

# Letters and digits of any script; everything else (quotes, operators, punctuation)
# separates words, so no input can become query syntax.
WORD = re.compile(r"[^\W_]+", re.UNICODE)


@functools.lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """The text without accents ("Genève" → "Geneve"), for databases that keep them. Kept for
    the words seen lately: marking a page's matches folds the same names again and again."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def indexed_text(text: str) -> str:
    """What the index keeps for a text: itself, then each word beyond ASCII once more,
    unaccented and lower-cased, so "geneve" finds "Genève" on PostgreSQL too (SQLite's
    tokenizer folds by itself), and "путин" finds "Путин" even on a PostgreSQL whose locale
    is "C" (it lower-cases ASCII letters only); "зеленськии", the unaccented search word,
    finds "Зеленський". ASCII text is kept as it is."""
    if text.isascii():
        return text
    extra = dict.fromkeys(
        folded
        for word in WORD.findall(text)
        if not word.isascii() and (folded := fold(word).lower()) != word
    )
    return "\n".join([text, " ".join(extra)]) if extra else text


def words(q: str | None) -> list[str]:
    """The words of a search, lower-cased and unaccented, in order, without repeats."""
    if not q:
        return []
    return list(dict.fromkeys(fold(w).lower() for w in WORD.findall(q)))[:MAX_WORDS]


def sqlite_query(terms: list[str]) -> str:
    """FTS5: every word must occur, each as a prefix ("zelensky" finds "Zelenskyy"). Ranks
    are scored on this query: spelled out (`expand`), a word's matches would be scored per
    word of the index, not as one."""
    return in_words(" ".join(f'"{term}"*' for term in terms))


def in_words(query: str) -> str:
    """An FTS5 query read in the events' words alone (`search_text`), never in the terms of
    their filter choices the index holds beside them (migration 0018)."""
    return f"search_text : ({query})"


def with_choices(fts: str, queries: Sequence[str]) -> str:
    """An FTS5 query (`match_query`'s, or none) that also asks for every one of these
    queries of filter choices' terms (`choices.ChosenValue.query`: one value, or any of a
    facet's several): the index intersects the lists, skipping through each, and hands out
    the events that have all in date order."""
    chosen = [f"search_choices : ({query})" for query in queries]
    return " AND ".join([fts, *chosen] if fts else chosen)


class Expanded(list[str]):
    """The words of a search (`words`), with the FTS5 query that finds the same events by
    naming the words of the index each one begins (`expand`), and how many events of the
    index it matches, once counted (`most_matches`; 0 when some word begins none)."""

    def __init__(self, terms: list[str], fts: str, most: int | None) -> None:
        super().__init__(terms)
        self.fts = fts
        self.most = most


#: Counting a search's matches for planning stops here: a word with more is taken to have
#: this many (about 1.5 ms to count, read lazily from the words' lists, at any size).
COUNTED_MATCHES = 50_000


def most_matches(connection: Any, terms: list[str]) -> int:
    """How many events of SQLite's full-text index the words match (soft-deleted ones too),
    counted up to COUNTED_MATCHES; once per session for words `expand` gave."""
    if not isinstance(terms, Expanded):
        return counted(connection, hits(terms), COUNTED_MATCHES)
    if terms.most is None:
        terms.most = counted(connection, hits(terms), COUNTED_MATCHES)
    return terms.most


#: How long a count of a search's matches made for choosing a plan is used again, in any
#: session of the process (`planned_matches`).
PLANNED_SECONDS = 60.0
#: The most searches whose planning counts are kept at once.
MOST_PLANNED = 1024
_PLANNED: dict[tuple[str, str], tuple[float, int]] = {}


def planned_matches(connection: Any, terms: list[str]) -> int:
    """`most_matches`, for choosing how to find a search's events: the count made for the
    same words of the index within the last PLANNED_SECONDS, in any session, where there is
    one. Counting a frequent word's matches takes longer than finding a page of them (`talks`
    at 100k: about 7 ms, made again with every page's counts after each write); a count a
    few writes old chooses a plan as well, and every plan finds the same events."""
    if not isinstance(terms, Expanded) or terms.most is not None:
        return most_matches(connection, terms)
    key = (str(connection.engine.url), terms.fts)
    now = time.monotonic()
    held = _PLANNED.get(key)
    if held is not None and now - held[0] < PLANNED_SECONDS:
        return held[1]
    found = most_matches(connection, terms)
    if len(_PLANNED) >= MOST_PLANNED:
        _PLANNED.pop(next(iter(_PLANNED), key), None)  # the oldest kept
    _PLANNED[key] = (now, found)
    return found


def match_query(terms: list[str]) -> str:
    """The FTS5 query that selects the events with every word: spelled out where `expand`
    did, else each word as a prefix."""
    return terms.fts if isinstance(terms, Expanded) else sqlite_query(terms)


#: A word that begins more words of the index than this stays a prefix: FTS5 steps through
#: each spelled-out word's list for every match it hands out.
MOST_SPELLED = 16
#: The words that `expand` spells out: ASCII letters and digits, which FTS5 keeps as one
#: token as they are (no folding of its own to agree with).
SPELLABLE = re.compile(r"[a-z0-9]+")


def expand(session: Session, terms: list[str]) -> list[str]:
    """The words, on SQLite, with a query that names the words of the index each one begins
    (`event_fts_words`, migration 0017): "talks" is then the list of `talks` alone, read from
    any key on and stopping at the LIMIT, where the prefix `"talks"*` has FTS5 merge the
    lists of every word it begins before the first match (about 1 ms at 100k events, 10 at
    1M, for each statement that names it). The same events match. A word of one or two
    letters keeps its prefix list (migration 0013), and so does one beyond ASCII or one that
    begins more than `MOST_SPELLED` words.

    The answer is kept in the session until its transaction ends or it writes (`kept`)."""
    if not terms or session.get_bind().dialect.name != "sqlite":
        return terms
    return kept(session, ("expanded", tuple(terms)), lambda: _expanded(session, terms))


def _expanded(session: Session, terms: list[str]) -> Expanded:
    connection = session.connection()
    parts = [_spelled(connection, term) for term in terms]
    # A word that begins no word of the index: nothing matches.
    most = 0 if any(part is None for part in parts) else None
    fts = " AND ".join(part or f'"{term}"*' for part, term in zip(parts, terms, strict=True))
    return Expanded(list(terms), in_words(fts), most)


_OCCURRENCES = table("event_fts_words", column("term"))
#: The first word of the index from `first` on and before `after` (the first of its
#: occurrences, which is all an fts5vocab table of type "instance" reads to give it).
_NEXT_WORD = (
    select(_OCCURRENCES.c.term)
    .where(_OCCURRENCES.c.term >= bindparam("first"), _OCCURRENCES.c.term < bindparam("after"))
    .limit(1)
)


def _spelled(connection: Any, term: str) -> str | None:
    """One word of a search as FTS5 should read it: the words of the index it begins, or
    itself as a prefix; None when it begins no word of the index. The words are found one
    lookup each, in order: each next one is the first from just after the last."""
    prefix = f'"{term}"*'
    if len(term) <= BROAD_LENGTH or not SPELLABLE.fullmatch(term):
        return prefix
    after = term[:-1] + chr(ord(term[-1]) + 1)
    found: list[str] = []
    first = term
    while len(found) <= MOST_SPELLED:
        word = connection.scalar(_NEXT_WORD, {"first": first, "after": after})
        if word is None:
            break
        found.append(word)
        first = word + "\x01"  # no word holds a control character: the next sorts after
    if not found:
        return None
    if len(found) > MOST_SPELLED:
        return prefix
    spelled = " OR ".join(f'"{word}"' for word in found)
    return spelled if len(found) == 1 else f"({spelled})"


def postgresql_query(terms: list[str]) -> str:
    """to_tsquery: the same rule; each word quoted as a lexeme with prefix matching."""
    return " & ".join(f"'{term}':*" for term in terms)


#: How many events a date-ordered search page reads in date order, from its cursor, looking
#: for matches, before it asks the full-text index for the rest (PostgreSQL; see
#: `app.events.listing._date_walk`). Neither full-text index hands out matches in date
#: order: taking every match from the GIN index (or every event a filter's index gives)
#: and sorting them costs in proportion to their number (`geneva` in 1M events: 91 ms,
#: 300 ms with `kind` and a date window, when the planner chooses so), while walking the
#: date index finds a page's 51 within the first few thousand events when the words are
#: on more than about 1.3% of them (51 / 4000): 2-10 ms at 1M events. Rarer words are
#: left to the index, which then has few matches to sort.
DATE_WALK_BATCH = 4000


def date_walk_batch(dialect: str) -> int:
    """The batch of the date walk on this database; 0 for none.

    SQLite plans that walk by itself: it reads the date index and checks each event
    against the set of ids FTS5 hands out once (5.6 ms of SQL at 1M events), so it keeps
    its plain query.
    """
    return DATE_WALK_BATCH if dialect == "postgresql" else 0


#: Words this short begin most words: FTS5 keeps lists of their own for them (migration
#: 0013), and a search with one is checked event by event rather than as a set of ids.
BROAD_LENGTH = 2


def is_broad(terms: list[str]) -> bool:
    """Whether some word of the search is so short it finds most events ("s", "ge")."""
    return any(len(term) <= BROAD_LENGTH for term in terms)


class search_match(FunctionElement[bool]):
    """True for the events whose search_text has every word: search_match(event.id,
    event.search_text, words) where words is the list from `words()`."""

    type = Boolean()
    inherit_cache = True
    name = "search_match"


class search_rank(FunctionElement[float]):
    """How well an event matches, lower is better: search_rank(event.id, event.search_text,
    words). Only meaningful on rows search_match selected."""

    type = Float()
    inherit_cache = True
    name = "search_rank"


def _arguments(
    event_id: Any, text_column: Any, terms: list[str], *, ranked: bool = False
) -> tuple[Any, ...]:
    # Both dialects' query strings are bound values of the statement itself, so a cached
    # compiled statement takes each new search's words (a value made while compiling would
    # be frozen into the cache).
    return (
        event_id,
        text_column,
        literal(sqlite_query(terms) if ranked else match_query(terms)),
        literal(postgresql_query(terms)),
    )


class search_match_each(FunctionElement[bool]):
    """search_match, asked of each event on its own: on SQLite an FTS5 lookup of that event
    (cheap with a broad word's own list, and stopping as soon as a page is full), where
    search_match makes the set of every matching id first (cheap for a rare word)."""

    type = Boolean()
    inherit_cache = True
    name = "search_match_each"


def match_each(event_id: Any, text_column: Any, terms: list[str]) -> Any:
    """The events whose search_text has every word, each looked up on its own (for events
    that something else finds first)."""
    return search_match_each(*_arguments(event_id, text_column, terms))


def match(event_id: Any, text_column: Any, terms: list[str]) -> Any:
    """The events whose search_text has every word: checked event by event for a broad word
    (which a walk in date order meets at once), else as a set of ids."""
    if is_broad(terms):
        return match_each(event_id, text_column, terms)
    return search_match(*_arguments(event_id, text_column, terms))


#: Julian day number minus proleptic Gregorian ordinal (0001-01-01 is day 1721426).
JULIAN_DAY_OF_ORDINAL_ZERO = 1_721_424


def key(event_id: Any) -> Any:
    """SQLite: the event's key in the full-text index, the column beside `event_id`: the day
    it starts (a Julian day number) in the high bits, its id in the low 32 (migration 0015).
    Matches come out of the index in the order of these keys."""
    return column("search_key", Integer, _selectable=event_id.table)


def event_id_of(fts_key: Any) -> Any:
    """The id of the event whose key (`key`) this is: its low 32 bits. Found by it, the event
    is a read of its row by primary key, not a search of the key's index first."""
    return fts_key.op("&")(ID_BITS)


#: The bits of a key (`key`) that hold the event's id.
ID_BITS = (1 << 32) - 1


def day_key(day: dt.date) -> int:
    """The first key of a day (its Julian day number, shifted as `key` shifts it)."""
    return (day.toordinal() + JULIAN_DAY_OF_ORDINAL_ZERO) << 32


def hits(terms: list[str], *, first: Any = None, last: dt.date | None = None) -> Any:
    """The keys of the matching events (`key`), led by the full-text index: for taking some
    matches in no particular order (counting), where walking the events would check each.
    Given the first day (an SQL expression or a date) and the last day a match may start on,
    only the index's rows of those days are read: their keys are a range."""
    fts_key: Any = literal_column("event_fts.rowid")
    found = (
        select(fts_key.label("key"))
        .select_from(table("event_fts"))
        .where(literal_column("event_fts").op("MATCH")(literal(match_query(terms))))
        .where(*key_range(fts_key, first=first, last=last))
    )
    return found.subquery("search_hits")


def key_range(fts_key: Any, *, first: Any = None, last: dt.date | None = None) -> list[Any]:
    """Conditions keeping the index's keys (`fts_key`) to events starting from the first
    day (an SQL expression or a date) to the last: the keys of those days are a range."""
    return between(fts_key, *key_bounds(first=first, last=last))


def between(fts_key: Any, low: Any, high: Any) -> list[Any]:
    """Conditions keeping the index's keys from `low` on and before `high` (either None for
    no bound)."""
    return [
        *([fts_key >= low] if low is not None else []),
        *([fts_key < high] if high is not None else []),
    ]


def key_bounds(*, first: Any = None, last: dt.date | None = None) -> tuple[Any, Any]:
    """The first key of the first day (an SQL expression or a date) and the first key after
    the last day, each None where no day is given. FTS5 reads its rows from one lower and
    one upper bound on the key (the first it is given of each): a query with several bounds
    of one kind should name the tightest alone."""
    low = cast(func.julianday(first), Integer).op("<<")(32) if first is not None else None
    high = day_key(last) + (1 << 32) if last is not None else None
    return low, high


def tidy(connection: Any) -> None:
    """SQLite: the full-text index merged into one b-tree, rid of the entries its deletes
    left, after documents are made for many events (a bulk load, whose choice terms are then
    written for every event, rewriting every row of the index; an upgrade). A search reads
    each of the index's segments for each of its terms: at 100k events, after a bulk load,
    a word and two values asked together took 3.3 ms, 1.5 once merged (about 3 s of work);
    writes one by one are merged by FTS5 as they go."""
    if connection.dialect.name == "sqlite":
        connection.execute(text("INSERT INTO event_fts(event_fts) VALUES ('optimize')"))


def counted(connection: Any, keys: Any, most: int) -> int:
    """How many matches a search has (`hits`), counted up to `most`."""
    first = select(keys.c.key).limit(most).subquery()
    found: int = connection.scalar(select(func.count()).select_from(first)) or 0
    return found


def rank(event_id: Any, text_column: Any, terms: list[str]) -> search_rank:
    return search_rank(*_arguments(event_id, text_column, terms, ranked=True))


def relevance(
    query: Select[Any], dialect: str, event_id: Any, text_column: Any, terms: list[str]
) -> tuple[Select[Any], Any]:
    """The query limited to matching events, and an expression of their rank (lower is
    better) to order and page by.

    SQLite scores every match once in one pass over the FTS table (a join), rather than
    one FTS lookup per row; the query must not also carry `match()`.
    """
    if dialect == "sqlite":
        fts = table("event_fts")
        hits = (
            select(
                literal_column("event_fts.rowid").label("key"),
                literal_column("bm25(event_fts)").label("rank"),
            )
            .select_from(fts)
            .where(literal_column("event_fts").op("MATCH")(literal(sqlite_query(terms))))
            .subquery("search_hits")
        )
        return query.join(hits, hits.c.key == key(event_id)), hits.c.rank
    return query.where(match(event_id, text_column, terms)), rank(event_id, text_column, terms)


def _part(element: FunctionElement[Any], compiler: SQLCompiler, index: int, **kw: Any) -> str:
    return compiler.process(list(element.clauses)[index], **kw)


def _key_part(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    """The full-text key (`key`) of the event whose id is the element's first argument."""
    return compiler.process(key(next(iter(element.clauses))), **kw)


@compiles(search_match, "sqlite")
def _match_sqlite(element: search_match, compiler: SQLCompiler, **kw: Any) -> str:
    event_key = _key_part(element, compiler, **kw)
    query = _part(element, compiler, 2, **kw)
    return f"{event_key} IN (SELECT rowid FROM event_fts WHERE event_fts MATCH {query})"


@compiles(search_match_each, "sqlite")
def _match_each_sqlite(element: search_match_each, compiler: SQLCompiler, **kw: Any) -> str:
    event_key = _key_part(element, compiler, **kw)
    query = _part(element, compiler, 2, **kw)
    return (
        f"EXISTS (SELECT 1 FROM event_fts WHERE event_fts MATCH {query} "
        f"AND event_fts.rowid = {event_key})"
    )


@compiles(search_rank, "sqlite")
def _rank_sqlite(element: search_rank, compiler: SQLCompiler, **kw: Any) -> str:
    # bm25() is only allowed in a query on the FTS table itself, hence the subquery;
    # it is negative, lower (more negative) for a better match.
    event_key = _key_part(element, compiler, **kw)
    query = _part(element, compiler, 2, **kw)
    return (
        f"(SELECT bm25(event_fts) FROM event_fts "
        f"WHERE event_fts MATCH {query} AND event_fts.rowid = {event_key})"
    )


def _tsvector(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    # The generated, GIN-indexed column of migration 0002, beside the event's id (it is not
    # in the ORM model: the database computes it from search_text).
    event_id = _part(element, compiler, 0, **kw)
    prefix = event_id[: -len("id")] if event_id.endswith("id") else ""
    return f"{prefix}search_vector"


@compiles(search_match, "postgresql")
@compiles(search_match_each, "postgresql")
def _match_postgresql(element: FunctionElement[bool], compiler: SQLCompiler, **kw: Any) -> str:
    query = _part(element, compiler, 3, **kw)
    return f"{_tsvector(element, compiler, **kw)} @@ to_tsquery('simple'::regconfig, {query})"


@compiles(search_rank, "postgresql")
def _rank_postgresql(element: search_rank, compiler: SQLCompiler, **kw: Any) -> str:
    query = _part(element, compiler, 3, **kw)
    # Negated so that, as on SQLite, lower is better; float8 so cursors compare exactly.
    return (
        f"(-ts_rank({_tsvector(element, compiler, **kw)}, "
        f"to_tsquery('simple'::regconfig, {query}))::float8)"
    )
