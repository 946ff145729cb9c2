"""The chair's server-side device: review operations go through the tablets' own push path.

A chair's resolution or addendum is an operation like any tablet's (op_id, seq, hlc, base),
applied by apply_operations in the same log, so tablets pull it like any other change.
"""

import uuid

from sqlalchemy import select

from ..errors import APIError
from ..extensions import db
from ..models import SyncDevice, SyncField, utcnow
from ..sync import apply_operations
from ..sync.dbutil import insert_ignore
from ..sync.hlc import parse_hlc
from ..sync.schemas import PushSchema
from ..sync.versions import CURRENT

PREFIX = "review."


def review_device_id(user) -> str:
    """Return the id of a chair's server-side device."""
    return f"{PREFIX}{user.id.hex}"


def lock_review_device(user) -> SyncDevice:
    """Return the chair's device row, created on first use, locked until the transaction ends."""
    device_id, now = review_device_id(user), utcnow()
    query = (select(SyncDevice).where(SyncDevice.id == device_id).with_for_update()
             .execution_options(populate_existing=True))
    device = db.session.execute(query).scalar_one_or_none()
    if device is None:
        insert_ignore(SyncDevice, {"id": device_id, "user_id": user.id, "last_seq": 0,
                                   "created_at": now, "last_seen_at": now})
        device = db.session.execute(query).scalar_one()
    return device


def winning_hlc(device_id: str, visit_id, field: str | None, now_ms: int | None = None) -> str:
    """Return a clock reading later than the field's, and not behind the server's clock."""
    now_ms = now_ms if now_ms is not None else int(utcnow().timestamp() * 1000)
    current = None
    if field is not None:
        current = db.session.execute(select(SyncField.hlc).where(
            SyncField.visit_id == visit_id, SyncField.field == field)).scalar()
    reading = parse_hlc(current) if current else None
    if reading is None or reading.ms < now_ms:
        return f"{now_ms}-0-{device_id}"
    return f"{reading.ms}-{reading.counter + 1}-{device_id}"


def apply_review_op(user, device: SyncDevice, op: dict, field: str | None) -> dict:
    """Apply one review operation (type, visit_id, value, base, …); return its result.

    A rejection raises: 409 visit_locked for a locked visit, 422 for a value that does not
    fit the question; the caller's transaction then rolls back whole.
    """
    full = {"op_id": str(uuid.uuid4()), "seq": device.last_seq + 1,
            "hlc": winning_hlc(device.id, uuid.UUID(str(op["visit_id"])), field), **op}
    batch = PushSchema().load({"device_id": device.id, "hlc": full["hlc"],
                               "schema_version": CURRENT, "ops": [full]})
    result = apply_operations(user, device.id, batch, review=True)["results"][0]
    if result["status"] == "rejected":
        reason = result.get("reason") or "rejected"
        status = 409 if reason == "visit_locked" else 422
        message = ("The visit is approved: reopen it as an addendum first."
                   if status == 409 else f"The value was refused ({reason}).")
        raise APIError(status, reason, message, result.get("errors") or {"value": [reason]})
    return {**result, "op_id": full["op_id"], "hlc": full["hlc"]}

