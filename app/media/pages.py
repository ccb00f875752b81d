"""GET /media/{name}: an uploaded image, served from the database with long-lived caching."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from app.core.deps import SessionDep
from app.media import service

router = APIRouter(include_in_schema=False)

#: An image's name is the hash of its bytes, so what a URL answers never changes.
CACHE_FOREVER = "public, max-age=31536000, immutable"


@router.get("/media/{name}")
def serve_media(
    name: str,
    session: SessionDep,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    media = service.get_by_name(session, name=name[:100])
    headers = {
        "Cache-Control": CACHE_FOREVER,
        "ETag": f'"{media.sha256}"',
        "X-Content-Type-Options": "nosniff",
        # Opened on its own, an image is a document: it may run nothing.
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if if_none_match and f'"{media.sha256}"' in if_none_match:
        return Response(status_code=304, headers=headers)
    return Response(media.data, media_type=media.content_type, headers=headers)
