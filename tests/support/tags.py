"""Reading a page's tags as a crawler would: every element's attributes by tag name, and
the text of text areas."""

from __future__ import annotations

from html.parser import HTMLParser


class _TagReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.textareas: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        self.tags.append((tag, found))
        if tag == "textarea":
            self._textarea = found.get("id", "")
            self.textareas[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.textareas[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


def read_tags(html: str) -> _TagReader:
    reader = _TagReader()
    reader.feed(html)
    return reader


def tags(html: str, name: str) -> list[dict[str, str]]:
    """The attributes of every `name` element, in document order."""
    return [attrs for tag, attrs in read_tags(html).tags if tag == name]


def meta(html: str) -> dict[str, str]:
    """`<meta name=…>` and `<meta property=…>` contents, by name."""
    return {
        attrs.get("name") or attrs.get("property", ""): attrs.get("content", "")
        for attrs in tags(html, "meta")
        if "content" in attrs
    }
