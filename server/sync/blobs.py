"""Photo uploads: content-addressed by SHA-256, in resumable chunks, stored without metadata."""

import hashlib
import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ..errors import APIError
from ..extensions import db
from ..models import Blob, utcnow
from .dbutil import insert_ignore
from .images import UnsupportedImage, clean_image
from .storage import OffsetMismatch, UploadBusy, blob_store

DEFAULT_MAX_BLOB = 15 * 1024 * 1024  # bytes per photo as sent; config BLOB_MAX_BYTES
READ_SIZE = 64 * 1024
SHA256_RE = re.compile(r"[0-9a-f]{64}\Z")
_RANGE = re.compile(r"bytes (\d{1,12})-(\d{1,12})/(\d{1,12})\Z")


@dataclass(frozen=True)
class ByteRange:
    """The bytes a PUT carries: start and end (inclusive) of total."""

    start: int
    end: int
    total: int

    @property
    def length(self) -> int:
        """Return how many bytes the range holds."""
        return self.end - self.start + 1


def max_blob_bytes() -> int:
    """Return the largest photo accepted, in bytes."""
    return int(current_app.config.get("BLOB_MAX_BYTES", DEFAULT_MAX_BLOB))


def parse_range(header: str | None, content_length: int | None) -> ByteRange:
    """Read Content-Range (or a whole body of Content-Length bytes); 400 or 411 when unusable."""
    if not header:
        if content_length is None:
            raise APIError(411, "length_required", "Send Content-Length or Content-Range.")
        if content_length == 0:
            raise APIError(400, "bad_range", "The body is empty.")
        return ByteRange(0, content_length - 1, content_length)
    match = _RANGE.match(header.strip())
    if match is None:
        raise APIError(400, "bad_range", "Content-Range must read 'bytes <start>-<end>/<total>'.")
    rng = ByteRange(*(int(group) for group in match.groups()))
    if rng.start > rng.end or rng.end >= rng.total:
        raise APIError(400, "bad_range", "The range does not fit within the total.")
    if content_length is not None and content_length != rng.length:
        raise APIError(400, "bad_range", "Content-Length differs from the range's length.")
    return rng


def stored_blob(sha256: str) -> Blob | None:
    """Return the complete blob with this hash, or None."""
    return db.session.get(Blob, sha256)


def upload_offset(sha256: str) -> int | None:
    """Return how many bytes of an unfinished upload arrived, or None."""
    return blob_store().partial_size(sha256)


def _chunks(stream, length: int):
    """Yield a request body's bytes, READ_SIZE at a time, up to length."""
    left = length
    while left > 0:
        chunk = stream.read(min(READ_SIZE, left))
        if not chunk:
            return
        left -= len(chunk)
        yield chunk


def receive_chunk(sha256: str, rng: ByteRange, stream) -> int:
    """Append a PUT's bytes to the upload; return the new offset (the file keeps a cut body)."""
    cap = max_blob_bytes()
    if rng.total > cap:
        raise APIError(413, "payload_too_large", f"A photo may have at most {cap} bytes.",
                       {"max_bytes": [str(cap)]})
    try:
        return blob_store().append(sha256, rng.start, _chunks(stream, rng.length))
    except OffsetMismatch as exc:
        raise APIError(409, "offset_mismatch", f"Resume at byte {exc.offset}.",
                       {"offset": [str(exc.offset)]},
                       headers={"Upload-Offset": str(exc.offset)}) from exc
    except UploadBusy as exc:
        raise APIError(409, "upload_in_progress", "Another request is sending this photo.",
                       headers={"Retry-After": "5"}) from exc


def store_whole(user, sha256: str, data: bytes) -> Blob:
    """Store a photo received whole outside HTTP (export files, demo data)."""
    store = blob_store()
    store.discard_partial(sha256)
    store.append(sha256, 0, [data])
    return finish_upload(user, sha256)


def finish_upload(user, sha256: str) -> Blob:
    """Check a complete upload's hash and type, store it without metadata, register it."""
    store = blob_store()
    data = store.read_partial(sha256)
    if hashlib.sha256(data).hexdigest() != sha256:
        store.discard_partial(sha256)
        raise APIError(422, "hash_mismatch", "The bytes do not have the SHA-256 in the URL; "
                       "the upload was discarded, send it again from byte 0.")
    try:
        clean = clean_image(data)
    except UnsupportedImage as exc:
        store.discard_partial(sha256)
        raise APIError(415, "unsupported_media_type",
                       f"Photos must be JPEG, PNG or WebP pictures ({exc}).") from exc
    store.put(sha256, clean.data)
    insert_ignore(Blob, {
        "sha256": sha256, "size": len(data), "content_type": clean.content_type,
        "stored_sha256": hashlib.sha256(clean.data).hexdigest(), "stored_size": len(clean.data),
        "width": clean.width, "height": clean.height, "uploaded_by_id": user.id,
        "created_at": utcnow()})
    store.discard_partial(sha256)
    return db.session.execute(select(Blob).where(Blob.sha256 == sha256)).scalar_one()
