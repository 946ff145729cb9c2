"""Rendered PDFs on disk under the instance folder, addressed by their cache key."""

import hashlib
import os
import time
from dataclasses import dataclass
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
    if not path.is_file():
        return None
    try:
        os.utime(path)  # the prune keeps what was used last
    except OSError:
        return None  # pruned between the check and now: render again
    return path


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


# A file younger than this is never pruned: a download may be on its way out of it.
IN_USE_SECONDS = 600


@dataclass
class Pruned:
    """What a prune removed and what it kept."""

    files: int = 0
    bytes: int = 0
    kept_files: int = 0
    kept_bytes: int = 0


def prune_reports(older_than_days: float, max_bytes: int | None = None,
                  now: float | None = None) -> Pruned:
    """Delete cached PDFs and bulk ZIPs not used for older_than_days, then the least recently
    used PDFs while the cache is larger than max_bytes. Nothing here is the only copy: a
    cached PDF is rendered again from the database on its next request, and a bulk ZIP's job
    record expires after 7 days anyway (jobstore.TTL_SECONDS)."""
    now = time.time() if now is None else now
    folder = reports_dir()
    files = []
    for pattern in ("cache/*/*.pdf", "bulk/*.zip"):
        for path in folder.glob(pattern):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            files.append((stat.st_mtime, stat.st_size, path))
    files.sort()  # least recently used first
    result, kept = Pruned(), []
    for mtime, size, path in files:
        if now - mtime > older_than_days * 86400 and now - mtime > IN_USE_SECONDS:
            _remove(path, size, result)
        else:
            kept.append((mtime, size, path))
    total = sum(size for _, size, _ in kept)
    for mtime, size, path in kept:
        if max_bytes is None or total <= max_bytes:
            break
        if path.suffix == ".pdf" and now - mtime > IN_USE_SECONDS:
            _remove(path, size, result)
            total -= size
    result.kept_files = sum(1 for _, _, path in kept if path.exists())
    result.kept_bytes = total
    return result


def _remove(path: Path, size: int, result: Pruned) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        return
    result.files += 1
    result.bytes += size
