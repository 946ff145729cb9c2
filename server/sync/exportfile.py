"""The offline app's "export unsynced data" file, applied through the same push path.

Format (docs/sync.md): {"format": "tekseru-export", "version": 1, "schema_version": 2,
"exported_at", "device_id", "user": {"id", "username"}, "ops": [...], "rejected": [...],
"blobs": [{"sha256", "content_type", "size", "data": base64}]}. Importing a file twice
changes nothing: operations are idempotent by op_id and photos by hash.
"""

import base64
import binascii
from collections import Counter

from marshmallow import EXCLUDE, Schema, fields, validate
from sqlalchemy import func, select

from ..errors import APIError
from ..extensions import db
from ..models import User
from ..scope import can_see_blob
from .blobs import store_whole, stored_blob
from .push import apply_operations
from .schemas import DEVICE_ID, MAX_OPS, SHA256, OpEnvelopeSchema

FORMAT = "tekseru-export"


class ExportUserSchema(Schema):
    """Who the tablet was signed in as."""

    class Meta:
        unknown = EXCLUDE

    id = fields.String(load_default=None, allow_none=True)
    username = fields.String(required=True, validate=validate.Length(1, 80))


class ExportBlobSchema(Schema):
    """One photo, base64-encoded."""

    class Meta:
        unknown = EXCLUDE

    sha256 = fields.String(required=True, validate=SHA256)
    content_type = fields.String(load_default="image/jpeg")
    size = fields.Integer(load_default=None, allow_none=True)
    data = fields.String(required=True)


class ExportSchema(Schema):
    """The whole file."""

    class Meta:
        unknown = EXCLUDE

    format = fields.String(required=True, validate=validate.Equal(FORMAT))
    version = fields.Integer(required=True, validate=validate.Equal(1))
    schema_version = fields.Integer(required=True, strict=True)
    device_id = fields.String(required=True, validate=DEVICE_ID)
    user = fields.Nested(ExportUserSchema, load_default=None, allow_none=True)
    ops = fields.List(fields.Nested(OpEnvelopeSchema), required=True)
    rejected = fields.List(fields.Raw(), load_default=list)
    blobs = fields.List(fields.Nested(ExportBlobSchema), load_default=list)


def _user(username: str) -> User:
    """Return the active account the operations are applied as."""
    user = db.session.execute(
        select(User).where(func.lower(User.username) == username.lower())).scalar()
    if user is None or not user.active:
        raise ValueError(f"no active account {username!r}")
    return user


def _apply_ops(user, export: dict) -> Counter:
    """Apply the file's operations in batches of the push cap; count their statuses."""
    tally, ops = Counter(), sorted(export["ops"], key=lambda op: op["seq"])
    device = export["device_id"]
    for start in range(0, len(ops), MAX_OPS):
        chunk = ops[start:start + MAX_OPS]
        batch = {"device_id": device, "hlc": f"0-0-{device}", "seq_from": None,
                 "schema_version": export["schema_version"], "ops": chunk}
        for result in apply_operations(user, device, batch)["results"]:
            tally[result["status"]] += 1
    return tally


def _import_blob(user, blob: dict) -> str:
    """Store one photo of the file; return what became of it."""
    sha = blob["sha256"]
    if not can_see_blob(user, sha):
        return "not_attached"
    if stored_blob(sha) is not None:
        return "already_stored"
    try:
        data = base64.b64decode(blob["data"], validate=True)
    except (binascii.Error, ValueError):
        return "bad_base64"
    try:
        store_whole(user, sha, data)
    except APIError as exc:
        return exc.code
    return "stored"


def import_export(export: dict, username: str | None = None) -> dict:
    """Apply an export file's operations and photos (flushes; the caller commits)."""
    name = username or (export["user"] or {}).get("username")
    if not name:
        raise ValueError("the file names no user: pass --user")
    user = _user(name)
    ops = _apply_ops(user, export)
    db.session.flush()
    blobs = Counter(_import_blob(user, blob) for blob in export["blobs"])
    return {"user": user.username, "device_id": export["device_id"], "ops": dict(ops),
            "blobs": dict(blobs), "rejected_in_file": len(export["rejected"])}
