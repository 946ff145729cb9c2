"""The visit's photos, downscaled for print (and stripped of metadata by re-encoding)."""

import io
import logging

from PIL import Image, ImageOps, UnidentifiedImageError

from ..sync.storage import blob_store
from .cache import reports_dir, write_atomic

log = logging.getLogger("tekseru.reports")
MAX_SIDE = 1000
QUALITY = 78


def downscale(data: bytes) -> bytes:
    """Return a JPEG at most MAX_SIDE pixels on its longer side."""
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=QUALITY, optimize=True)
        return out.getvalue()


def report_photo(sha256: str) -> bytes | None:
    """Return the print copy of a stored photo, made once and kept; None when unusable."""
    path = reports_dir() / "photos" / sha256[:2] / f"{sha256}-{MAX_SIDE}.jpg"
    if path.is_file():
        return path.read_bytes()
    store = blob_store()
    if not store.exists(sha256):
        return None
    try:
        data = downscale(store.read(sha256))
    except (UnidentifiedImageError, OSError, ValueError):
        log.warning("photo not printable", extra={"sha256": sha256})
        return None
    write_atomic(path, data)
    return data


def printable_photos(links, limit: int) -> tuple[list, dict]:
    """Return (links with a printable photo, up to limit; {sha256: loader}) for the fetcher."""
    chosen, loaders = [], {}
    for link in links:
        if len(chosen) >= limit:
            break
        data = report_photo(link.sha256)
        if data is None:
            continue
        chosen.append(link)
        loaders[link.sha256] = (lambda blob=data: blob)
    return chosen, loaders
