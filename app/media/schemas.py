"""Image shapes: the upload's answer, an image as an event shows it, and as a write names it."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from app.common.schemas import OptionalLine, ReadModel, Summary, WriteModel

#: An image's URL as answers give it (`/media/<sha256>.<ext>`); a write may give it whole
#: (with the site in front) or as the bare file name.
MEDIA_URL_PATTERN = r"^(?:\S*/)?(?:media/)?[0-9a-f]{64}\.(?:png|jpg|webp)$"

#: What an image shows, in one line; never empty, as a reader who cannot see it has only this.
AltText = Annotated[OptionalLine, StringConstraints(min_length=1)]
MediaUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=2000, pattern=MEDIA_URL_PATTERN),
]


class MediaRead(ReadModel):
    """An image as an event shows it: what it is, what it shows, and whose it is."""

    url: str = Field(description="Where the image is served: `/media/<sha256>.<ext>`.")
    alt: str = Field(description="What the image shows, for readers who cannot see it.")
    credit: str | None = None
    caption: str | None = None
    width: int
    height: int


class MediaIn(WriteModel):
    """An uploaded image used by an event, with the words that go with it there."""

    url: MediaUrl = Field(description="The `url` POST /api/v1/media answered.")
    alt: AltText = Field(description="What the image shows (required).")
    credit: OptionalLine | None = None
    caption: Summary | None = None


class MediaUpload(MediaRead):
    """The answer to an upload: the image as kept, and the words sent with it, to use as they
    are (or changed) in an event's `media`."""

    content_type: str = Field(description="image/png, image/jpeg or image/webp.")
