"""Photo thumbnails for the review pages: made once from the stored photo, kept on disk."""

import io
import logging
import os
import tempfile
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

log = logging.getLogger("tekseru.review")
SIDE = 320


def _path(sha256: str) -> Path:
    """Return where a photo's thumbnail is kept."""
    return Path(current_app.instance_path) / "thumbs" / sha256[:2] / f"{sha256}-{SIDE}.jpg"


def _shrink(data: bytes) -> bytes:
    """Return a JPEG at most SIDE pixels on its longer side."""
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((SIDE, SIDE))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
        return out.getvalue()


def thumbnail(sha256: str, data: bytes) -> bytes | None:
    """Return the thumbnail of a stored photo (None when the bytes are not a picture)."""
    path = _path(sha256)
    if path.is_file():
        return path.read_bytes()
    try:
        small = _shrink(data)
    except (UnidentifiedImageError, OSError, ValueError):
        log.warning("no thumbnail for photo", extra={"sha256": sha256})
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(small)
    os.replace(temp, path)
    return small
