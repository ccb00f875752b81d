"""POST /api/v1/media: an image upload, answered with the URL an event's `media` names."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile

from app.common.api import WRITE, problems
from app.common.schemas import OptionalLine, Summary
from app.core.deps import SessionDep
from app.media import service
from app.media.images import MAX_PIXELS, MAX_UPLOAD_BYTES
from app.media.schemas import AltText, MediaUpload
from app.users.deps import Author

router = APIRouter(prefix="/api/v1/media", tags=["media"])

_SIZE = f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MiB"
_ANSWERS = problems(*WRITE) | {
    413: {**problems(413)[413], "description": f"The request body is over {_SIZE}."},
    415: {**problems(415)[415], "description": "The file is not a PNG, JPEG or WebP image."},
    201: {"headers": {"Location": {"description": "The image.", "schema": {"type": "string"}}}},
}


@router.post(
    "",
    response_model=MediaUpload,
    status_code=201,
    summary="Upload an image",
    description="A multipart form: `file` (PNG, JPEG or WebP, "
    f"at most {_SIZE} and {MAX_PIXELS:,} pixels), `alt` (required: what it shows), "
    "`credit` and `caption`. The image is re-encoded, its metadata (EXIF, GPS position) "
    "dropped. Name the answer's `url` in an event's `media` to show it there.",
    responses=_ANSWERS,
)
def upload_media(
    file: Annotated[UploadFile, File(description="The image.")],
    alt: Annotated[AltText, Form(description="What the image shows, for who cannot see it.")],
    response: Response,
    session: SessionDep,
    author: Author,
    credit: Annotated[OptionalLine | None, Form()] = None,
    caption: Annotated[Summary | None, Form()] = None,
) -> MediaUpload:
    # The guard has read the body already and refused anything over the limit.
    media = service.create(session, data=file.file.read(MAX_UPLOAD_BYTES + 1), uploaded_by=author)
    response.headers["Location"] = media.url
    return MediaUpload(
        url=media.url,
        alt=alt,
        credit=credit or None,
        caption=caption or None,
        width=media.width,
        height=media.height,
        content_type=media.content_type,
    )
