"""Reading an HTML form as a browser would send it: every input, select and text area with
its current value (checkboxes only when ticked; no buttons)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form" and found.get("id") == self.form_id:
            self.inside = True
        if not self.inside or ("name" not in found and tag != "option"):
            return
        if tag == "input" and found.get("type") not in ("submit", "button"):
            if found.get("type") != "checkbox" or "checked" in found:
                self.fields.append((found["name"], found.get("value", "")))
        elif tag == "select":
            self._select, self._select_value = found["name"], None
        elif tag == "option" and self._select is not None:
            if "selected" in found or self._select_value is None:
                self._select_value = found.get("value", "")
        elif tag == "textarea":
            self._textarea, self._text = found["name"], []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            self.fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one line break that may follow <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    """The (name, value) pairs the form with this id would send, in document order."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.fields
