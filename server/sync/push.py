"""apply_operations: one pushed batch, one transaction, each operation idempotent by op_id."""

import hashlib
import json
import uuid

from sqlalchemy import select

from ..errors import APIError
from ..extensions import db
from ..models import Blob, SyncDevice, SyncOp
from .changes import record_changes
from .context import PushContext
from .dbutil import bulk_insert, insert_ignore
from .dispatch import dispatch
from .versions import check_version, upgrade_op

HASHED = ("type", "visit_id", "question_id", "regime", "value", "hlc", "base")


def _mismatch(message: str) -> APIError:
    """Return the 409 telling a device its history does not match the server's."""
    return APIError(409, "client_state_mismatch",
                    message + " Take a new device id and send the outbox again.")


def content_hash(op: dict) -> str:
    """Return the SHA-256 of what an operation says (not its seq: a renumbered op is the same)."""
    body = {name: op.get(name) for name in HASHED}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _lock_device(user, device_id: str, ctx: PushContext) -> SyncDevice:
    """Return the device row, created on first push and locked until the transaction ends."""
    query = (select(SyncDevice).where(SyncDevice.id == device_id).with_for_update()
             .execution_options(populate_existing=True))
    device = db.session.execute(query).scalar_one_or_none()
    if device is None:
        insert_ignore(SyncDevice, {"id": device_id, "user_id": user.id, "last_seq": 0,
                                   "created_at": ctx.now, "last_seen_at": ctx.now})
        device = db.session.execute(query).scalar_one()
    if device.user_id != user.id:
        raise _mismatch("This device id belongs to another account.")
    return device


def _known_ops(op_ids) -> dict:
    """Return the stored outcome of every already received operation among op_ids."""
    rows = db.session.execute(select(SyncOp).where(SyncOp.op_id.in_(set(op_ids)))).scalars()
    return {row.op_id: {"hash": row.content_hash, "status": row.status, "reason": row.reason,
                        "conflict_id": row.conflict_id, "type": row.type} for row in rows}


def _visit_ids(ops) -> set:
    """Return the visit ids named by the batch (those that parse as UUIDs)."""
    found = set()
    for op in ops:
        try:
            found.add(uuid.UUID(str(op.get("visit_id"))))
        except ValueError:
            continue
    return found


def _result(op_id, status: str, reason=None, conflict_id=None, errors=None, outcome=None):
    """Return one entry of the response's results."""
    result = {"op_id": op_id, "status": status}
    if outcome:
        result["outcome"] = outcome
    if reason:
        result["reason"] = reason
    if conflict_id:
        result["conflict_id"] = conflict_id
    if errors:
        result["errors"] = errors
    return result


def _note_duplicate_blob(ctx: PushContext, op: dict, first: dict) -> None:
    """Keep asking for a photo whose attach op is replayed until its bytes arrive."""
    value = op.get("value")
    if first["type"] == "photo.attach" and first["status"] == "applied" \
            and isinstance(value, dict) and isinstance(value.get("sha256"), str):
        ctx.blob_refs.add(value["sha256"])


def _apply_one(ctx: PushContext, device: SyncDevice, op: dict, known: dict, log: list) -> dict:
    """Apply one operation, or answer a replay with its first outcome."""
    op_id, digest = op["op_id"], content_hash(op)
    first = known.get(op_id)
    if first is not None:
        if first["hash"] != digest:
            raise _mismatch(f"Operation {op_id} was received before with different content.")
        _note_duplicate_blob(ctx, op, first)
        device.last_seq = max(device.last_seq, op["seq"])
        return _result(op_id, "duplicate", first["reason"], first["conflict_id"],
                       outcome=first["status"])
    if op["seq"] <= device.last_seq:
        raise _mismatch(f"Sequence number {op['seq']} is not after {device.last_seq}, the last "
                        "one this device sent, yet the operation is new.")
    device.last_seq = op["seq"]
    outcome = dispatch(ctx, op)
    known[op_id] = {"hash": digest, "status": outcome.status, "reason": outcome.reason,
                    "conflict_id": outcome.conflict_id, "type": op.get("type")}
    log.append({"op_id": op_id, "device_id": device.id, "seq": op["seq"], "user_id": ctx.user.id,
                "type": str(op.get("type"))[:32], "visit_id": ctx.fields.get("visit_id"),
                "content_hash": digest, "status": outcome.status, "reason": outcome.reason,
                "conflict_id": outcome.conflict_id, "received_at": ctx.now})
    return _result(op_id, outcome.status, outcome.reason, outcome.conflict_id, outcome.errors)


def missing_blobs(refs: set) -> list[str]:
    """Return the photo hashes named that the server has no complete copy of."""
    if not refs:
        return []
    found = set(db.session.execute(select(Blob.sha256).where(Blob.sha256.in_(refs))).scalars())
    return sorted(refs - found)


def _check_seq_from(batch: dict) -> None:
    """Refuse a batch whose seq_from is not the seq of its first operation."""
    seq_from, ops = batch.get("seq_from"), batch["ops"]
    if seq_from is not None and ops and ops[0]["seq"] != seq_from:
        raise APIError(422, "invalid_fields", "seq_from must be the seq of the first operation.",
                       {"seq_from": [f"the first operation has seq {ops[0]['seq']}"]})


def apply_operations(user, device_id: str, batch: dict, now=None, review: bool = False) -> dict:
    """Apply a pushed batch in the current transaction (flushes, never commits).

    review=True marks the chair's own operations (server/review), never a pushed batch:
    they may change a submitted visit, and their clock may run ahead to beat a skewed one.

    Raises APIError 409 client_state_mismatch, leaving the caller to roll back, when the
    device's history does not match: a seq that went backwards, or an op_id sent before
    with different content. Every other problem rejects one operation, never the batch.
    """
    check_version(batch["schema_version"])
    _check_seq_from(batch)
    ops = [upgrade_op(op, batch["schema_version"]) for op in batch["ops"]]
    ctx = PushContext(user, device_id, now, review=review)
    device = _lock_device(user, device_id, ctx)
    known = _known_ops(op["op_id"] for op in ops)
    ctx.lock_visits(_visit_ids(ops))
    log: list = []
    results = [_apply_one(ctx, device, op, known, log) for op in ops]
    head = record_changes(ctx.changes)
    ctx.insert_fresh()
    bulk_insert(SyncOp, log)
    device.last_seen_at = ctx.now
    db.session.flush()
    return {"results": results, "last_seq": device.last_seq, "cursor": head,
            "server_time": ctx.now, "missing_blobs": missing_blobs(ctx.blob_refs)}
