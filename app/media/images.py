"""Uploaded images checked and re-encoded with Pillow: what kind of image the bytes are (never
the file name or the declared type), whether it is small enough to decode, and a clean copy
with the orientation applied and the metadata (EXIF with its GPS position, XMP, comments)
left behind."""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from app.core.errors import DomainError, InvalidInput

#: The largest upload the API and the event form read: the request body, multipart envelope
#: and all (an image from a phone camera fits easily).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: The most pixels an image may have. Decoding needs about four bytes a pixel, so this bounds
#: the memory one upload can take (a decompression bomb declares far more in a tiny file).
MAX_PIXELS = 40_000_000

#: Pillow's format name → (content type, file extension). Only these are taken.
FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "WEBP": ("image/webp", "webp"),
}
EXTENSIONS = {extension: content_type for content_type, extension in FORMATS.values()}

# Pillow refuses to decode more than twice its limit by itself; with ours set, the check
# below names the problem first, and Pillow's own refusal stays as a second line.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


#: The modes Pillow writes as PNG; others (a palette with alpha, …) are written as RGBA.
_PNG_MODES = ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA")


class UnsupportedImage(DomainError):
    """The bytes are not a PNG, JPEG or WebP image."""

    status = 415
    title = "Unsupported Media Type"


@dataclass(frozen=True)
class CleanImage:
    """An image as it is kept: re-encoded bytes, their hash, and what a page needs to show it."""

    data: bytes
    sha256: str
    content_type: str
    extension: str
    width: int
    height: int


def _refuse(message: str) -> InvalidInput:
    return InvalidInput.field(["file"], message)


def _opened(data: bytes) -> Image.Image:
    """The image the bytes hold, its header read but nothing decoded yet."""
    try:
        image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except UnidentifiedImageError:
        raise UnsupportedImage(
            "the file is not a PNG, JPEG or WebP image",
            errors=[{"loc": ["file"], "msg": "not a PNG, JPEG or WebP image", "type": "type"}],
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(f"the image has more than {MAX_PIXELS:,} pixels") from None
    except (OSError, ValueError, SyntaxError, struct.error) as exc:
        # A known format with a broken header.
        raise _refuse(f"the image could not be read ({exc})") from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise _refuse(
            f"the image is {width}×{height} pixels; at most {MAX_PIXELS:,} pixels are taken"
        )
    return image


def clean(data: bytes) -> CleanImage:
    """A re-encoded copy of an uploaded image, or InvalidInput / UnsupportedImage naming `file`.

    Re-encoding is what makes an upload safe to serve: only pixels survive, so nothing hidden
    in the file (a script, a polyglot, the camera's position) reaches readers. The colour
    profile is kept, as it changes how the pixels look; a moving image keeps its first frame.
    """
    if not data:
        raise _refuse("the file is empty")
    with warnings.catch_warnings():
        # Pillow's bomb warning, as an error: a refusal, never a line in the log.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _opened(data)
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
        except (OSError, ValueError, SyntaxError, struct.error) as exc:
            raise _refuse(f"the image could not be read ({exc})") from None
    assert image.format is not None  # Image.open only answers the formats it was given
    content_type, extension = FORMATS[image.format]
    output = io.BytesIO()
    _save(upright, image.format, output, image.info)
    encoded = output.getvalue()
    return CleanImage(
        data=encoded,
        sha256=hashlib.sha256(encoded).hexdigest(),
        content_type=content_type,
        extension=extension,
        width=upright.width,
        height=upright.height,
    )


def _save(image: Image.Image, kind: str, output: io.BytesIO, info: Mapping[Any, Any]) -> None:
    """Write the pixels alone: Pillow writes only the metadata it is handed, and the info it
    read (EXIF, XMP, text chunks) is not handed on, except what changes how pixels look."""
    keep: dict[str, Any] = {}
    if isinstance(info.get("icc_profile"), bytes):
        keep["icc_profile"] = info["icc_profile"]
    image.info = {}
    if kind == "PNG":
        if image.mode not in _PNG_MODES:
            image = image.convert("RGBA")
        elif "transparency" in info and image.mode in ("P", "L", "RGB"):
            keep["transparency"] = info["transparency"]
        image.save(output, "PNG", **keep)
    elif kind == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(output, "JPEG", quality=88, optimize=True, **keep)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(output, "WEBP", quality=88, **keep)
