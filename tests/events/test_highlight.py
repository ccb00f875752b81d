"""Marking what a search matched: whole words, as the search finds them, always escaped."""

from __future__ import annotations

import random

from app.events import highlight as highlight_module
from app.events.highlight import highlight
from app.events.search import words


def test_the_words_a_search_finds_are_marked_as_prefixes_whatever_their_case() -> None:
    marked = highlight("Peskov: next round planned", words("pesk ROUND"))
    assert marked == "<mark>Peskov</mark>: next <mark>round</mark> planned"


def test_accents_do_not_matter_either_way() -> None:
    assert highlight("Réunion à Genève", words("geneve")) == "Réunion à <mark>Genève</mark>"
    assert highlight("Geneva talks", words("Genè")) == "<mark>Geneva</mark> talks"


def test_cyrillic_is_marked_case_insensitively() -> None:
    assert highlight("Путин и Зеленський", words("путин зеленський")) == (
        "<mark>Путин</mark> и <mark>Зеленський</mark>"
    )


def test_hostile_text_is_escaped_and_never_marked_into_markup() -> None:
    marked = highlight('<script>alert("x")</script> & script', words("script"))
    assert "<script>" not in marked
    assert marked == (
        "&lt;<mark>script</mark>&gt;alert(&#34;x&#34;)&lt;/<mark>script</mark>&gt; &amp; "
        "<mark>script</mark>"
    )
    # A search for markup itself marks nothing and breaks nothing.
    assert highlight("<b>bold</b>", words("<mark>")) == "&lt;b&gt;bold&lt;/b&gt;"


def test_overlapping_words_mark_a_word_once() -> None:
    marked = highlight("Zelenskyy met Zelensky", words("zel zelensky zelenskyy"))
    assert marked == "<mark>Zelenskyy</mark> met <mark>Zelensky</mark>"
    assert marked.count("<mark>") == 2


def test_neighbouring_marked_words_share_one_mark() -> None:
    assert highlight("Talks in Abu Dhabi, again", words("abu dhabi")) == (
        "Talks in <mark>Abu Dhabi</mark>, again"
    )
    assert highlight("Abu, Dhabi", words("abu dhabi")) == "<mark>Abu</mark>, <mark>Dhabi</mark>"


def test_without_words_the_text_is_only_escaped() -> None:
    assert highlight("a < b", []) == "a &lt; b"
    assert highlight(None, words("x")) == ""


def test_ascii_text_is_marked_as_word_by_word_marking_would() -> None:
    # ASCII text takes a faster road (one expression); it must mark exactly what the
    # word-by-word road does, on texts and terms made to catch their differences.
    rng = random.Random(20261206)
    alphabet = "abcsSAB_ -\t\n\x1c\x1f,.<&'1"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        terms = words(" ".join(rng.choice(["s", "ab", "a", "b1", "ſ", "c", "sab"]) for _ in "xy"))
        assert text.isascii()
        fast = highlight_module._ascii_spans(text, tuple(terms))
        assert fast == highlight_module._word_spans(text, terms), (text, terms)
