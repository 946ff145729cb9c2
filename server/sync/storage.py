"""Where photo bytes live, behind one small interface (a filesystem now, S3-like later).

Complete blobs are stored under their hash. An upload in progress is a partial file whose
length is the resume offset; a cut connection keeps every byte that arrived.
"""

import fcntl
import os
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from flask import current_app


class OffsetMismatch(Exception):
    """A chunk does not start where the stored part ends."""

    def __init__(self, offset: int):
        super().__init__(f"the upload stands at byte {offset}")
        self.offset = offset


class UploadBusy(Exception):
    """Another request is writing the same upload right now."""


class BlobStore(Protocol):
    """What the blob operations need from storage."""

    def partial_size(self, sha256: str) -> int | None: ...
    def append(self, sha256: str, offset: int, chunks: Iterable[bytes]) -> int: ...
    def read_partial(self, sha256: str) -> bytes: ...
    def discard_partial(self, sha256: str) -> None: ...
    def put(self, sha256: str, data: bytes) -> None: ...
    def exists(self, sha256: str) -> bool: ...
    def read(self, sha256: str) -> bytes: ...


class FilesystemStore:
    """Blobs as files under a directory: <dir>/ab/<sha256>, uploads in <dir>/uploads/."""

    def __init__(self, root):
        self.root = Path(root)

    def _final(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def _part(self, sha256: str) -> Path:
        return self.root / "uploads" / f"{sha256}.part"

    def partial_size(self, sha256: str) -> int | None:
        """Return how many bytes of an upload arrived, or None when none is under way."""
        path = self._part(sha256)
        return path.stat().st_size if path.exists() else None

    @contextmanager
    def _locked(self, sha256: str):
        """Hold an exclusive lock on one upload (UploadBusy when another request has it)."""
        lock_path = self._part(sha256).with_suffix(".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise UploadBusy(sha256) from exc
            yield

    def append(self, sha256: str, offset: int, chunks: Iterable[bytes]) -> int:
        """Write chunks at the end of an upload that stands at offset; return the new size.

        Bytes written before a failure (a cut connection) stay: the next chunk resumes there.
        """
        path = self._part(sha256)
        with self._locked(sha256):
            size = path.stat().st_size if path.exists() else 0
            if size != offset:
                raise OffsetMismatch(size)
            with open(path, "ab") as out:
                try:
                    for chunk in chunks:
                        out.write(chunk)
                finally:
                    out.flush()
                    os.fsync(out.fileno())
            return path.stat().st_size

    def read_partial(self, sha256: str) -> bytes:
        """Return the bytes of an upload."""
        return self._part(sha256).read_bytes()

    def discard_partial(self, sha256: str) -> None:
        """Forget an upload."""
        self._part(sha256).unlink(missing_ok=True)
        self._part(sha256).with_suffix(".lock").unlink(missing_ok=True)

    def put(self, sha256: str, data: bytes) -> None:
        """Store a complete blob atomically."""
        final = self._final(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        temp = final.with_name(final.name + f".{os.getpid()}.tmp")
        temp.write_bytes(data)
        os.replace(temp, final)

    def exists(self, sha256: str) -> bool:
        """Tell whether a complete blob is stored."""
        return self._final(sha256).exists()

    def read(self, sha256: str) -> bytes:
        """Return a complete blob's bytes."""
        return self._final(sha256).read_bytes()


def blob_store() -> BlobStore:
    """Return the configured store (app.config['BLOB_DIR'])."""
    return FilesystemStore(current_app.config["BLOB_DIR"])
