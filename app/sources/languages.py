"""The names of the languages quotes and sources come in, for people: "ru" reads "Russian"."""

from __future__ import annotations

#: The languages a negotiation's sources are most likely in; any other tag shows as itself.
NAMES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "he": "Hebrew",
    "it": "Italian",
    "ja": "Japanese",
    "pl": "Polish",
    "ru": "Russian",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "zh": "Chinese",
}


def language_name(tag: str | None) -> str:
    """The language of a BCP 47 tag in English ("uk-UA" reads "Ukrainian"), or the tag."""
    if not tag:
        return ""
    return NAMES.get(tag.split("-")[0].lower(), tag)
