"""Stable, readable identifiers made from names and titles."""

from __future__ import annotations

from collections.abc import Callable

from slugify import slugify as transliterated

#: The longest slug stored or accepted.
SLUG_LENGTH = 120


def slugify(text: str, max_length: int = 80) -> str:
    """Lower-case ASCII words joined by hyphens, other scripts spelled in Latin letters
    ("Переговоры в Стамбуле" → "peregovory-v-stambule"); "item" when nothing is left."""
    return transliterated(text, max_length=max_length) or "item"


def unique_slug(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is free."""
    if not taken(base):
        return base
    number = 2
    while taken(f"{base}-{number}"):
        number += 1
    return f"{base}-{number}"
