"""Real images made with Pillow for the media tests: each format, with the metadata a camera
writes (a GPS position, an orientation, text chunks), and a decompression bomb."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo

#: Where the camera says it was: a position the upload must not give away.
LATITUDE = (50.0, 27.0, 1.0)


def camera_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: the camera, where it stood, and which way was up."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (30.0, 31.0, 2.0)
    return exif


def picture(width: int = 64, height: int = 32) -> Image.Image:
    """A small picture with two halves, so that a rotation shows."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 2, height))
    return image


def image_bytes(kind: str, *, width: int = 64, height: int = 32, orientation: int = 1) -> bytes:
    """A PNG, JPEG or WebP file with camera metadata (PNGs also carry a text chunk)."""
    output = io.BytesIO()
    image = picture(width, height)
    exif = camera_exif(orientation)
    if kind == "PNG":
        text = PngInfo()
        text.add_text("Author", "someone who wants to stay unnamed")
        image.save(output, "PNG", exif=exif, pnginfo=text)
    else:
        image.save(output, kind, exif=exif)
    return output.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG of a few dozen bytes whose header declares width × height pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )
