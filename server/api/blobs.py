"""Photos by content hash: HEAD to see what the server has, PUT (in chunks) to send, GET."""

import io

from flask import request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint

from ..errors import APIError
from ..extensions import db
from ..scope import can_see_blob
from ..sync.blobs import (
    SHA256_RE,
    finish_upload,
    parse_range,
    receive_chunk,
    stored_blob,
    upload_offset,
)
from ..sync.images import FORMATS
from ..sync.storage import blob_store
from .common import BEARER, require_user

blp = Blueprint("blobs", __name__, url_prefix="/api/v1/blobs",
                description="Photos, content-addressed by SHA-256 (docs/sync.md)")
ACCEPTED_TYPES = (*FORMATS.values(), "application/octet-stream")


def _visible(sha256: str) -> str:
    """Return the hash if a visit the user may see attaches it, else 404 (revealing nothing)."""
    if not SHA256_RE.match(sha256) or not can_see_blob(require_user(), sha256):
        raise APIError(404, "not_found", "No photo with this hash is visible to you.")
    return sha256


def _state(sha256: str, offset: int, total: int | None = None) -> dict:
    """Return the JSON describing an upload."""
    return {"sha256": sha256, "offset": offset, "complete": total is not None and offset >= total}


@blp.route("/<sha256>")
class BlobView(MethodView):
    """One photo."""

    @blp.doc(security=BEARER, responses={200: {"description": "the photo (metadata removed)"},
                                         404: {"description": "not uploaded or not visible"}})
    def get(self, sha256):
        """Download a photo attached to a visit you may see."""
        blob = stored_blob(_visible(sha256))
        if blob is None:
            raise APIError(404, "not_found", "This photo has not been uploaded yet.")
        response = send_file(io.BytesIO(blob_store().read(sha256)), mimetype=blob.content_type,
                             etag=blob.sha256, max_age=31536000, conditional=True)
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
        return response

    @blp.doc(security=BEARER, responses={
        200: {"description": "complete (Upload-Complete: ?1)"},
        204: {"description": "partly uploaded: resume at Upload-Offset"},
        404: {"description": "nothing uploaded, or not visible"}})
    def head(self, sha256):
        """Tell whether the server has a photo, or how much of its upload arrived."""
        _visible(sha256)
        blob = stored_blob(sha256)
        if blob is not None:
            return "", 200, {"Upload-Offset": str(blob.size), "Upload-Complete": "?1",
                             "Content-Type": blob.content_type,
                             "Content-Length": str(blob.stored_size)}
        offset = upload_offset(sha256)
        if offset is None:
            return "", 404, {}
        return "", 204, {"Upload-Offset": str(offset), "Upload-Complete": "?0"}

    @blp.doc(security=BEARER, responses={
        200: {"description": "chunk stored, or photo already complete"},
        201: {"description": "upload complete, hash checked, photo stored"},
        409: {"description": "offset_mismatch: resume at Upload-Offset"},
        413: {"description": "over the photo size cap"},
        415: {"description": "not JPEG, PNG or WebP"},
        422: {"description": "hash_mismatch"}})
    def put(self, sha256):
        """Send a photo whole, or a chunk of it with Content-Range: bytes start-end/total."""
        user = require_user()
        _visible(sha256)
        blob = stored_blob(sha256)
        if blob is not None:
            return {**_state(sha256, blob.size, blob.size)}, 200, {"Upload-Offset": str(blob.size)}
        if request.mimetype and request.mimetype not in ACCEPTED_TYPES:
            raise APIError(415, "unsupported_media_type", "Photos must be JPEG, PNG or WebP.")
        rng = parse_range(request.headers.get("Content-Range"), request.content_length)
        db.session.commit()  # release the database while the body streams in (slow links)
        offset = receive_chunk(sha256, rng, request.stream)
        if offset < rng.total:
            return _state(sha256, offset, rng.total), 200, {"Upload-Offset": str(offset)}
        blob = finish_upload(user, sha256)
        return _state(sha256, blob.size, blob.size), 201, {"Upload-Offset": str(blob.size)}
