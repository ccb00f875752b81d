"""POST /api/v1/media: real images in, clean images out; everything else refused by status."""

from __future__ import annotations

import contextlib
import io
import select
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from PIL import ExifTags, Image

from app.core.database import Database
from app.media.images import MAX_UPLOAD_BYTES
from tests.support.images import bomb_png, image_bytes
from tests.support.servers import running

UPLOAD = "/api/v1/media"


def _upload(
    client: Any, auth: dict[str, str], data: bytes, name: str = "photo.bin", **form: str
) -> Any:
    fields = {"alt": "Delegations at the table", **form}
    return client.post(UPLOAD, headers=auth, files={"file": (name, data)}, data=fields)


def _problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    if field is not None:
        assert [field] in [error["loc"][-1:] for error in body["errors"]], body
    return body


@pytest.mark.parametrize(
    ("kind", "content_type", "extension"),
    [("PNG", "image/png", "png"), ("JPEG", "image/jpeg", "jpg"), ("WEBP", "image/webp", "webp")],
)
def test_each_format_is_kept_re_encoded_without_its_metadata(
    client: Any, auth: dict[str, str], kind: str, content_type: str, extension: str
) -> None:
    # The file name and declared type lie; the bytes decide.
    sent = image_bytes(kind, width=64, height=32, orientation=6)
    response = client.post(
        UPLOAD,
        headers=auth,
        files={"file": ("holiday.gif", sent, "text/plain")},
        data={"alt": "Two halves", "credit": "Photo: Pool", "caption": "Round 1"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["url"].startswith("/media/") and body["url"].endswith(f".{extension}")
    assert response.headers["location"] == body["url"]
    assert body["content_type"] == content_type
    assert (body["alt"], body["credit"], body["caption"]) == (
        "Two halves",
        "Photo: Pool",
        "Round 1",
    )
    # Orientation 6 says "turn a quarter": the kept image stands upright, 32 wide.
    assert (body["width"], body["height"]) == (32, 64)

    served = client.get(body["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == content_type
    kept = Image.open(io.BytesIO(served.content))
    assert kept.format == kind and kept.size == (32, 64)
    exif = kept.getexif()
    assert ExifTags.Base.Make not in exif
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo), "the GPS position went out with the image"
    assert "exif" not in kept.info and "xmp" not in kept.info
    if kind == "PNG":
        assert "Author" not in kept.info
    assert b"TestCam" not in served.content


def test_the_same_image_twice_is_one_image(
    client: Any, auth: dict[str, str], database: Database
) -> None:
    data = image_bytes("PNG")
    first = _upload(client, auth, data).json()
    second = _upload(client, auth, data, alt="Said differently").json()
    assert first["url"] == second["url"]
    assert second["alt"] == "Said differently"
    with database.session() as session:
        from sqlalchemy import func, select

        from app.media.models import Media

        assert session.scalar(select(func.count()).select_from(Media)) == 1


def test_alt_is_required(client: Any, auth: dict[str, str]) -> None:
    data = image_bytes("PNG")
    missing = client.post(UPLOAD, headers=auth, files={"file": ("a.png", data)})
    _problem(missing, 422, "alt")
    blank = client.post(UPLOAD, headers=auth, files={"file": ("a.png", data)}, data={"alt": "  "})
    _problem(blank, 422, "alt")
    no_file = client.post(UPLOAD, headers=auth, files={"alt": (None, "Something")})
    _problem(no_file, 422, "file")


def test_without_a_token_nothing_is_kept(client: Any, database: Database) -> None:
    response = _upload(client, {}, image_bytes("PNG"))
    _problem(response, 401)
    assert "bearer" in response.headers["www-authenticate"].lower()
    bad = _upload(client, {"Authorization": "Bearer nope"}, image_bytes("PNG"))
    _problem(bad, 401)


@pytest.mark.parametrize(
    "data",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"%PDF-1.4 not an image",
    ],
    ids=["svg", "gif", "pdf"],
)
def test_what_is_not_a_png_jpeg_or_webp_is_refused(
    client: Any, auth: dict[str, str], data: bytes
) -> None:
    _problem(_upload(client, auth, data, name="picture.png"), 415, "file")


def test_a_broken_or_empty_image_is_refused(client: Any, auth: dict[str, str]) -> None:
    whole = image_bytes("JPEG", width=200, height=200)
    _problem(_upload(client, auth, whole[: len(whole) // 3]), 422, "file")
    _problem(_upload(client, auth, b""), 422, "file")


def test_a_decompression_bomb_is_refused_before_it_is_decoded(
    client: Any, auth: dict[str, str]
) -> None:
    started = time.perf_counter()
    body = _problem(_upload(client, auth, bomb_png()), 422, "file")
    assert "pixels" in body["detail"]
    # Just over the limit, where Pillow itself only warns.
    _problem(_upload(client, auth, bomb_png(8_000, 6_000)), 422, "file")
    # Decoding 10^10 pixels would take minutes and tens of gigabytes; refusing takes nothing.
    assert time.perf_counter() - started < 5


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read(
    client: Any, auth: dict[str, str]
) -> None:
    small = b'--x\r\nContent-Disposition: form-data; name="alt"\r\n\r\nA\r\n--x--\r\n'
    response = client.post(
        UPLOAD,
        headers={
            **auth,
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(MAX_UPLOAD_BYTES + 1),
        },
        content=small,
    )
    body = _problem(response, 413)
    assert "10 MiB" in body["detail"]


def test_a_streamed_body_over_the_limit_is_cut_off(app: Any, auth: dict[str, str]) -> None:
    # Through a real server and a raw socket: a test client reads the whole body first.
    chunk = b"\0" * (512 * 1024)
    sent = 0
    with running(app) as url, socket.create_connection(urlsplit(url)[1].split(":")) as sock:
        sock.settimeout(5)
        head = (
            "POST /api/v1/media HTTP/1.1\r\nHost: localhost\r\n"
            f"Authorization: {auth['Authorization']}\r\n"
            "Content-Type: multipart/form-data; boundary=x\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        sock.sendall(head.encode())
        with contextlib.suppress(OSError):  # the server may close on us: that is the point
            for _ in range(40):  # twice the limit, if all of it were read
                if select.select([sock], [], [], 0)[0]:
                    break
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                sent += len(chunk)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"application/problem+json" in answer
    assert sent < 20 * 1024 * 1024, "the whole body was sent before it was refused"


def test_an_upload_is_multipart_and_other_api_paths_stay_json(
    client: Any, auth: dict[str, str]
) -> None:
    as_json = client.post(UPLOAD, headers=auth, json={"alt": "x"})
    _problem(as_json, 415)
    # The larger limit is the upload's alone: an event body over 1 MiB is still refused.
    big = client.post(
        "/api/v1/events",
        headers={**auth, "Content-Type": "application/json"},
        content=b'{"title": "' + b"a" * (1024 * 1024 + 10) + b'"}',
    )
    _problem(big, 413)
    multipart_event = client.post(
        "/api/v1/events", headers=auth, files={"file": ("a.png", image_bytes("PNG"))}
    )
    _problem(multipart_event, 415)


def test_the_upload_is_in_the_api_document(client: Any) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/v1/media"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"201", "401", "413", "415", "422"} <= set(operation["responses"])
    assert httpx.codes(201).name == "CREATED"
