"""Keeping and finding images: an upload stored once however often it is sent, an image by
its file name for serving, and the images an event write names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from app.core.errors import InvalidInput, NotFound
from app.media.images import EXTENSIONS, clean
from app.media.models import Media

_NAME = re.compile(r"(?:^|/)([0-9a-f]{64})\.(png|jpg|webp)$")


class MediaNotFound(NotFound):
    pass


def create(session: Session, *, data: bytes, uploaded_by: str) -> Media:
    """Check and re-encode an upload and keep it; the same image sent again is the row kept
    the first time (the hash of its clean bytes is its name)."""
    image = clean(data)
    found = session.scalar(select(Media).where(Media.sha256 == image.sha256))
    if found is not None:
        return found
    media = Media(
        sha256=image.sha256,
        content_type=image.content_type,
        width=image.width,
        height=image.height,
        size=len(image.data),
        data=image.data,
        uploaded_by=uploaded_by,
    )
    try:
        # Two editors uploading the same picture at once: the second uses the first's row.
        with session.begin_nested():
            session.add(media)
    except IntegrityError:
        return session.scalars(select(Media).where(Media.sha256 == image.sha256)).one()
    return media


def _parts(name: str) -> tuple[str, str] | None:
    found = _NAME.search(name)
    return (found.group(1), found.group(2)) if found else None


def get_by_name(session: Session, *, name: str) -> Media:
    """The image served at /media/<name>, bytes and all."""
    parts = _parts(name)
    media = None
    if parts is not None:
        media = session.scalar(
            select(Media).where(Media.sha256 == parts[0]).options(undefer(Media.data))
        )
    if media is None or parts is None or media.content_type != EXTENSIONS[parts[1]]:
        raise MediaNotFound(f"there is no image {name!r}")
    return media


def existing(session: Session, urls: Sequence[str]) -> dict[str, Media]:
    """The images of these URLs that are uploaded here, by URL, in one query (none when no
    URL names an upload)."""
    wanted = {url: _parts(url) for url in urls}
    hashes = {parts[0] for parts in wanted.values() if parts}
    if not hashes:
        return {}
    found = {m.sha256: m for m in session.scalars(select(Media).where(Media.sha256.in_(hashes)))}
    result: dict[str, Media] = {}
    for url, parts in wanted.items():
        media = found.get(parts[0]) if parts else None
        if media is not None and parts is not None and media.content_type == EXTENSIONS[parts[1]]:
            result[url] = media
    return result


def by_urls(session: Session, urls: Sequence[str], field: str = "media") -> dict[str, Media]:
    """The images a write names, by the URL it gave, in one query; an unknown one is
    InvalidInput naming its place in the list (`media[0].url`)."""
    result = existing(session, urls)
    errors: list[dict[str, Any]] = [
        {
            "loc": [field, index, "url"],
            "msg": f"there is no uploaded image {url!r}; upload it first (POST /api/v1/media)",
            "type": "unknown_media",
        }
        for index, url in enumerate(urls)
        if url not in result
    ]
    if errors:
        raise InvalidInput(str(errors[0]["msg"]), errors=errors)
    return result
