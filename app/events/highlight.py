"""Marking what a search matched: the words of a text that the words of `q` find, wrapped in
`<mark>`, the rest escaped (the template filter `highlight`); and saying why an event matched
when what matched is not shown: an alias of one of its actors or of its place ("Путин" finds
Vladimir Putin, "Kiev" finds Kyiv)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from app.actors.models import Actor
from app.events import search
from app.events.schemas import EventRead
from app.places.models import Place

#: (kind, slug, name, aliases) of every actor and place that has aliases.
AliasIndex = list[tuple[str, str, str, list[str]]]


class Terms(list[str]):
    """The words of a search (`search.words`), and the actors and places they find by an alias
    alone (one none of the words finds in the name shown): by kind and slug, the aliases found.
    A list of words still, so `highlight` takes it as it takes the plain words."""

    def __init__(self, words: Sequence[str], by_alias: dict[tuple[str, str], list[str]]) -> None:
        super().__init__(words)
        self.by_alias = by_alias

    def alias_of(self, kind: str, slug: str) -> list[str]:
        """The aliases of this actor or place that the words found, if they found no more."""
        return self.by_alias.get((kind, slug), [])

    def found(self, event: EventRead) -> list[tuple[str, str]]:
        """(alias, name) of each of the event's actors (taking part, mentioned or quoted) and
        its place that the words found by an alias only: why it matched, when the card does
        not show it."""
        named: dict[tuple[str, str], str] = {}
        if event.place is not None:
            named[("place", event.place.slug)] = event.place.name
        for participant in event.participants:
            named[("actor", participant.actor.slug)] = participant.actor.name
        for source in event.sources:
            if source.speaker is not None:
                named[("actor", source.speaker.slug)] = source.speaker.name
        return [(alias, name) for key, name in named.items() for alias in self.alias_of(*key)]


def alias_index(session: Session) -> AliasIndex:
    """Every actor and place that has aliases, with them: what `terms` looks through (a few
    hundred rows; pages keep it while the data is unchanged)."""
    index: AliasIndex = []
    for kind, model in (("actor", Actor), ("place", Place)):
        # Only the records with aliases: their list is stored as JSON text, "[]" for none.
        rows = session.execute(
            select(model.slug, model.name, model.aliases).where(cast(model.aliases, Text) != "[]")
        )
        index += [(kind, slug, name, list(aliases)) for slug, name, aliases in rows if aliases]
    return index


def terms(q: str | None, index: AliasIndex) -> Terms:
    """The words of `q`, with the actors and places they find by an alias alone."""
    words = search.words(q)
    found: dict[tuple[str, str], list[str]] = {}
    if words:
        for kind, slug, name, aliases in index:
            if _finds(name, words):
                continue
            hits = [alias for alias in aliases if _finds(alias, words)]
            if hits:
                found[(kind, slug)] = hits
    return Terms(words, found)


def _finds(text: str, words: Sequence[str]) -> bool:
    return any(_matches(word, words) for word in search.WORD.findall(text))


def _matches(word: str, terms: Sequence[str]) -> bool:
    # The same rule as the search itself: unaccented, lower-cased, each term a prefix.
    folded = search.fold(word).lower()
    return folded.startswith(tuple(terms))


def highlight(text: str | None, terms: Sequence[str] | None) -> Markup:
    """The text, HTML-escaped, with each word that one of `terms` (from `search.words`) finds
    wrapped in `<mark>`; whole words are marked, since a term finds the word it begins, and
    words marked with only spaces between them share one mark ("<mark>Abu Dhabi</mark>")."""
    if not text:
        return Markup("")
    if not terms:
        return escape(text)
    if text.isascii():
        return _marked(text, _ascii_spans(text, tuple(terms)))
    return _marked(text, _word_spans(text, terms))


def named(record: Any, kind: str, terms: Sequence[str] | None) -> Markup:
    """An actor's or a place's name as a search result shows it (the template filter
    `named`): marked whole when the words found it by one of its aliases alone, else with
    the words they find marked (escaped, unmarked, without a search)."""
    if isinstance(terms, Terms) and terms.alias_of(kind, record.slug):
        return Markup("<mark>%s</mark>") % record.name
    return highlight(record.name, terms)


def _word_spans(text: str, terms: Sequence[str]) -> list[list[int]]:
    """Where the marks go, word by word, each folded as the search folds it."""
    spans: list[list[int]] = []
    for found in search.WORD.finditer(text):
        if not _matches(found.group(), terms):
            continue
        if spans and text[spans[-1][1] : found.start()].isspace():
            spans[-1][1] = found.end()
        else:
            spans.append([found.start(), found.end()])
    return spans


def _ascii_spans(text: str, terms: tuple[str, ...]) -> list[list[int]]:
    """The same marks in ASCII text, which folding leaves as it is, found by one expression:
    a search result page marks a few hundred texts (`_word_spans` gives the same, slower)."""
    # A term beyond ASCII begins no ASCII word (and would match one by case alone: "ſ", "K").
    ascii_terms = tuple(term for term in terms if term.isascii())
    if not ascii_terms:
        return []
    return [[found.start(), found.end()] for found in _marks(ascii_terms).finditer(text)]


@functools.lru_cache(maxsize=256)
def _marks(terms: tuple[str, ...]) -> re.Pattern[str]:
    """A run of words, with only spaces between them, each beginning with one of the terms
    (lower-case: the text's case does not matter)."""
    word = "(?:" + "|".join(map(re.escape, terms)) + r")[^\W_]*"
    return re.compile(rf"(?<![^\W_]){word}(?:\s+{word})*", re.IGNORECASE)


def _marked(text: str, spans: list[list[int]]) -> Markup:
    parts: list[str] = []
    done = 0
    for start, end in spans:
        parts += (escape(text[done:start]), "<mark>", escape(text[start:end]), "</mark>")
        done = end
    parts.append(escape(text[done:]))
    return Markup("".join(parts))
