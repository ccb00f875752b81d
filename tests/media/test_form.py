"""Images through the event form: uploaded with their words, shown on the event page, kept
when anything else in the form is wrong, edited and removed; posts over the limit refused."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from app.core.database import Database
from app.media.images import MAX_UPLOAD_BYTES
from tests.support.factory import Factory
from tests.support.forms import form_fields
from tests.support.images import image_bytes
from tests.support.signing_in import csrf_from, make_user, sign_in

EVENT = {"title": "Talks in Geneva", "kind": "talks", "status": "held", "start_date": "2026-02-17"}


@pytest.fixture
def editor(client: Any, database: Database) -> Any:
    make_user(database, "editor")
    assert sign_in(client, "editor").status_code == 303
    return client


def _post(client: Any, path: str, data: dict[str, str], file: bytes | None = None) -> Any:
    token = csrf_from(client.get(path).text)
    files = {"new_media_file": ("photo.jpg", file, "image/jpeg")} if file is not None else None
    if files is None:
        # Multipart all the same, as the browser sends this form.
        files = {"new_media_file": ("", b"", "application/octet-stream")}
    return client.post(
        path, data={**data, "csrf_token": token}, files=files, follow_redirects=False
    )


def _figures(page: str) -> list[str]:
    return re.findall(r"<figure.*?</figure>", page, re.S)


def test_an_image_uploaded_with_the_form_shows_on_the_event_page(editor: Any) -> None:
    form = editor.get("/events/new").text
    assert 'enctype="multipart/form-data"' in form
    assert 'type="file"' in form and 'name="new_media_file"' in form
    answer = _post(
        editor,
        "/events/new",
        {
            **EVENT,
            "new_media_alt": "Delegations around a table",
            "new_media_credit": "Photo: Pool",
            "new_media_caption": "The first session",
        },
        image_bytes("JPEG", width=80, height=40),
    )
    assert answer.status_code == 303, answer.text
    page = editor.get(answer.headers["location"]).text
    [figure] = _figures(page)
    assert 'alt="Delegations around a table"' in figure
    assert 'width="80" height="40"' in figure and 'loading="lazy"' in figure
    caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S)
    assert caption and re.sub(r"<[^>]+>", "", caption.group(1)) == "The first session · Photo: Pool"
    src = re.search(r'src="([^"]+)"', figure)
    assert src and editor.get(src.group(1)).headers["content-type"] == "image/jpeg"


def test_an_image_without_alt_text_stays_in_the_form_until_it_has_some(
    editor: Any, database: Database
) -> None:
    typed = {**EVENT, "summary": "Line one\nline two  ", "new_media_credit": "AP"}
    answer = _post(editor, "/events/new", typed, image_bytes("PNG"))
    assert answer.status_code == 422
    page = answer.text
    assert re.search(r'id="media-0-alt-error"[^>]*>.*?required', page, re.S)
    assert 'href="#media-0-alt"' in page  # in the summary above the form, too
    assert "Line one\nline two  </textarea>" in page
    # The image came through once; the form now names it, with the credit typed for it.
    fields = dict(form_fields(page, "event-form"))
    assert fields["media-0-url"].startswith("/media/") and fields["media-0-credit"] == "AP"

    fields["media-0-alt"] = "A map of the venue"
    fields.pop("new_media_file", None)
    saved = _post(editor, "/events/new", fields)
    assert saved.status_code == 303, saved.text
    slug = saved.headers["location"].split("/")[2].split("?")[0]
    shown = editor.get(f"/api/v1/events/{slug}").json()["media"]
    assert [(m["alt"], m["credit"]) for m in shown] == [("A map of the venue", "AP")]


def test_a_file_that_is_not_an_image_is_refused_beside_the_field(editor: Any) -> None:
    typed = {**EVENT, "new_media_alt": "Ünïcode  alt ", "new_media_caption": "Kept"}
    answer = _post(editor, "/events/new", typed, b"<html>not an image</html>")
    assert answer.status_code == 422
    assert re.search(
        r'id="new_media_file-error"[^>]*>.*?not a PNG, JPEG or WebP', answer.text, re.S
    )
    fields = dict(form_fields(answer.text, "event-form"))
    assert fields["new_media_alt"] == "Ünïcode  alt " and fields["new_media_caption"] == "Kept"
    assert fields["title"] == EVENT["title"]
    assert "media-0-url" not in fields


def test_the_edit_form_keeps_changes_and_removes_images(editor: Any, make: Factory) -> None:
    first, second = make.image(), make.image("WEBP")
    slug = make.event(
        title="Summit",
        media=[{"url": first, "alt": "First", "credit": "AP"}, {"url": second, "alt": "Second"}],
    )
    path = f"/events/{slug}/edit"
    fields = dict(form_fields(editor.get(path).text, "event-form"))
    assert (fields["media-0-url"], fields["media-1-url"]) == (first, second)
    fields.pop("new_media_file", None)

    unchanged = _post(editor, path, fields)
    assert unchanged.status_code == 303
    history = editor.get(f"/api/v1/events/{slug}/revisions").json()["items"]
    after = editor.get(f"/api/v1/events/{slug}/revisions/{history[-1]['version']}").json()
    assert [m["alt"] for m in after["snapshot"]["media"]] == ["First", "Second"]

    removed = _post(editor, path, {**fields, "remove": "media-0"})
    assert removed.status_code == 200
    kept = dict(form_fields(removed.text, "event-form"))
    assert kept["media-0-url"] == second and "media-1-url" not in kept
    kept.pop("new_media_file", None)
    kept["media-0-caption"] = "Now with a caption"
    kept["version"] = str(history[-1]["version"])
    assert _post(editor, path, kept).status_code == 303
    media = editor.get(f"/api/v1/events/{slug}").json()["media"]
    assert [(m["url"], m["caption"]) for m in media] == [(second, "Now with a caption")]
    # The history says which image went, by its alt text.
    assert html.escape("alt: “First”") in editor.get(f"/events/{slug}/history").text


def test_form_posts_over_the_limit_are_refused_before_they_are_read(editor: Any) -> None:
    token = csrf_from(editor.get("/events/new").text)
    body = f'--x\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n--x--\r\n'
    declared = editor.post(
        "/events/new",
        content=body.encode(),
        headers={
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(MAX_UPLOAD_BYTES + 1),
        },
    )
    assert declared.status_code == 413
    assert "10 MiB" in declared.text and "text/html" in declared.headers["content-type"]
    # Without an image, a form is at most 1 MiB, whatever it claims.
    text = editor.post(
        "/events/new", data={**EVENT, "body": "x" * (1024 * 1024 + 1), "csrf_token": token}
    )
    assert text.status_code == 413 and "1 MiB" in text.text
    assert editor.get("/api/v1/events").json()["items"] == []
