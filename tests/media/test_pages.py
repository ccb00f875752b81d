"""GET /media/{name}: the image from the database, cached for a year, never sniffed."""

from __future__ import annotations

from typing import Any

from app.core.database import Database
from tests.support.factory import Factory


def test_an_image_is_served_to_be_cached_for_good(client: Any, make: Factory) -> None:
    url = make.image("JPEG", width=48, height=24)
    served = client.get(url)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.content[:2] == b"\xff\xd8"
    etag = served.headers["etag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag


def test_an_unknown_image_is_404(client: Any, make: Factory, database: Database) -> None:
    url = make.image()
    assert client.get(url.replace(".png", ".jpg")).status_code == 404
    assert client.get("/media/" + "a" * 64 + ".png").status_code == 404
    assert client.get("/media/../../etc/passwd").status_code == 404
    assert client.get("/media/nothing").status_code == 404
