"""Rendered PDFs on disk under the instance folder, addressed by their cache key."""

import hashlib
import os
from pathlib import Path

from flask import current_app


def reports_dir() -> Path:
    """Return the folder of report caches, photos and bulk jobs (created on demand)."""
    configured = (current_app.config.get("REPORTS_DIR")
                  or os.environ.get("TEKSERU_REPORTS_DIR")
                  or Path(current_app.instance_path) / "reports")
    folder = Path(configured)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cache_key(*parts: str) -> str:
    """Return the key of a rendering: a hash of everything the PDF depends on."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _path(key: str) -> Path:
    """Return where the PDF of a key lives."""
    return reports_dir() / "cache" / key[:2] / f"{key}.pdf"


def cached_pdf(key: str) -> Path | None:
    """Return the stored PDF of a key, or None."""
    path = _path(key)
    return path if path.is_file() else None


def write_atomic(path: Path, data: bytes) -> Path:
    """Write bytes to a file so that readers never see half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)
    return path


def store_pdf(key: str, data: bytes) -> Path:
    """Store a rendered PDF under its key."""
    return write_atomic(_path(key), data)
