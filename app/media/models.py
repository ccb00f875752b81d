"""The image table: every uploaded image, re-encoded, kept in the database so that every app
process serves the same files without a shared disk."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.core.base import Base, UTCDateTime, one_of, utcnow
from app.media.images import FORMATS

CONTENT_TYPES = tuple(content_type for content_type, _extension in FORMATS.values())


def media_url(sha256: str, content_type: str) -> str:
    """Where an image is served: `/media/<sha256>.<ext>`."""
    extension = next(ext for kind, ext in FORMATS.values() if kind == content_type)
    return f"/media/{sha256}.{extension}"


class Media(Base):
    """One image. Identical uploads are one row: the hash of the re-encoded bytes is its name."""

    __tablename__ = "media"
    __table_args__ = (
        CheckConstraint(one_of("content_type", CONTENT_TYPES), name="content_type"),
        CheckConstraint("width >= 1 AND height >= 1", name="positive_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    # Deferred: event pages need the size and type, never the bytes, which only /media reads.
    data: Mapped[bytes] = deferred(mapped_column("bytes", LargeBinary, nullable=False))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by: Mapped[str] = mapped_column(String(200))

    @property
    def url(self) -> str:
        return media_url(self.sha256, self.content_type)

    @property
    def name(self) -> str:
        """Its file name under /media/."""
        return self.url.removeprefix("/media/")
