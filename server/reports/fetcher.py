"""The only way a report reaches a file: our own static files and the visit's own photos."""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .render import STATIC_DIR

log = logging.getLogger("tekseru.reports")
PHOTO_SCHEME = "tekseru-photo"
STATIC_ROOTS = (STATIC_DIR, STATIC_DIR.parent.parent / "static")


class RefusedURL(ValueError):
    """A report asked for something outside the allowed files."""


def base_url() -> str:
    """Return the base URL relative links in report templates resolve against."""
    return STATIC_DIR.as_uri() + "/"


def photo_url(sha256: str) -> str:
    """Return the URL a template uses for one of the visit's photos."""
    return f"{PHOTO_SCHEME}:{sha256}"


class SafeFetcher(URLFetcher):
    """Serve static files under STATIC_ROOTS and allowed photos; refuse everything else."""

    def __init__(self, photos=None):
        super().__init__(allowed_protocols=("file", PHOTO_SCHEME), allow_redirects=False)
        self.photos = photos or {}
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        """Return the resource for an allowed URL or raise RefusedURL (no network, ever)."""
        parts = urlsplit(url)
        if parts.scheme == PHOTO_SCHEME and parts.path in self.photos:
            self.served.append(url)
            return URLFetcherResponse(url, self.photos[parts.path](),
                                      {"Content-Type": "image/jpeg"})
        if parts.scheme == "file" and not parts.netloc:
            path = _static_file(unquote(parts.path))
            if path is not None:
                self.served.append(url)
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
        self.refused.append(url)
        log.warning("report fetch refused", extra={"url": url[:200]})
        raise RefusedURL(f"not an allowed report resource: {url[:200]}")



def _static_file(path: str) -> Path | None:
    """Return a file inside one of the static roots, or None (no symlink or .. escapes)."""
    try:
        resolved = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    for root in STATIC_ROOTS:
        if resolved.is_file() and resolved.is_relative_to(root.resolve()):
            return resolved
    return None
