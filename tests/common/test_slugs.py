"""Slugs: readable, stable identifiers made from names and titles."""

from __future__ import annotations

from app.common.slugs import SLUG_LENGTH, slugify, unique_slug


def test_slugify_keeps_letters_and_digits_of_any_accent() -> None:
    assert slugify("Peskov: next round in Abu Dhabi!") == "peskov-next-round-in-abu-dhabi"
    assert slugify("Genève talks") == "geneve-talks"
    # Other scripts are spelled in Latin letters, so a Russian or Ukrainian name reads.
    assert slugify("Переговоры в Стамбуле") == "peregovory-v-stambule"
    assert slugify("Київ") == "kiiv"
    # Nothing usable left still gives a slug.
    assert slugify("!!!") == "item"


def test_unique_slug_counts_up_past_the_taken_ones() -> None:
    taken = {"talks", "talks-2"}
    assert unique_slug("talks", taken.__contains__) == "talks-3"
    assert unique_slug("meeting", taken.__contains__) == "meeting"


def test_a_long_title_makes_a_slug_within_the_limit() -> None:
    assert len(slugify("word " * 100)) <= SLUG_LENGTH
