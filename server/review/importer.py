"""A chair imports a tablet's "export unsynced data" file: the sync engineer's import_export.

The file's account must belong to the chair's commission; its operations are applied as
that account from that device, through the push path, so importing twice changes nothing.
"""

import json

from marshmallow import ValidationError
from sqlalchemy import func

from ..audit import append_event
from ..errors import APIError
from ..extensions import db
from ..models import User
from ..scope import scoped
from ..sync.exportfile import ExportSchema, import_export

MAX_FILE_BYTES = 200 * 1024 * 1024


def _member(chair, username: str | None) -> User:
    """Return the file's account if it is an active member of the chair's commission."""
    user = None
    if username:
        user = db.session.execute(scoped(chair, User).where(
            func.lower(User.username) == username.lower(), User.active.is_(True))).scalar()
    if user is None or user.commission_id != chair.commission_id:
        raise APIError(422, "unknown_account", "The file's account is not an active member of "
                       "your commission.", {"user": ["not a member of your commission"]})
    return user


def import_export_file(chair, raw: dict) -> dict:
    """Apply an export file already parsed as JSON; commit it, then audit the import.

    The import is committed before its audit event is appended: the push path takes the
    change counter last, and the audit head must never be waited for after it.
    """
    try:
        export = ExportSchema().load(raw)
    except ValidationError as exc:
        raise APIError(422, "invalid_file", "The file is not an export of the offline app.",
                       exc.messages) from exc
    member = _member(chair, (export["user"] or {}).get("username"))
    try:
        summary = import_export(export, member.username)
    except ValueError as exc:
        raise APIError(422, "invalid_file", str(exc)) from exc
    db.session.commit()
    append_event("export_imported", actor=chair, target_type="device",
                 target_id=export["device_id"], data=summary)
    return summary


def import_file(chair, data: bytes) -> dict:
    """Parse an uploaded export file and apply it (see import_export_file)."""
    if len(data) > MAX_FILE_BYTES:
        raise APIError(413, "payload_too_large", "The file is too large.")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise APIError(422, "invalid_file", "The file is not an export of the offline app.") \
            from exc
    if not isinstance(raw, dict):
        raise APIError(422, "invalid_file", "The file is not an export of the offline app.")
    return import_export_file(chair, raw)
