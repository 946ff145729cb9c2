"""Append audit events to a hash chain and verify the chain."""

import hashlib
import json
from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import select

from ..extensions import db
from ..models import GENESIS_HASH, AuditEvent, AuditHead, utcnow

HEAD_ID = 1


def canonical_json(payload) -> str:
    """Serialise a payload the same way every time."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def event_hash(event: AuditEvent) -> str:
    """Return the SHA-256 covering an event's fields and its predecessor's hash."""
    payload = {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "data": event.data,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


def _locked_head() -> AuditHead:
    """Return the chain head row, locked until the transaction ends."""
    head = db.session.execute(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=HEAD_ID, seq=0, hash=GENESIS_HASH)
        db.session.add(head)
        db.session.flush()
    return head


def append_event(action: str, actor=None, target_type: str = "", target_id="",
                 data: dict | None = None) -> AuditEvent:
    """Append an event to the chain in the current transaction (flushes, never commits)."""
    head = _locked_head()
    request_id = g.get("request_id", "") if has_request_context() else ""
    event = AuditEvent(
        seq=head.seq + 1,
        at=utcnow(),
        actor_id=getattr(actor, "id", actor),
        action=action,
        target_type=target_type,
        target_id=str(target_id or ""),
        data=json.loads(canonical_json(data or {})),
        request_id=request_id or "",
        prev_hash=head.hash,
    )
    event.hash = event_hash(event)
    head.seq, head.hash = event.seq, event.hash
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the chain does not hold."""

    seq: int
    reason: str

    def __str__(self) -> str:
        return f"audit event {self.seq}: {self.reason}"


def verify_chain(batch_size: int = 1000) -> tuple[int, ChainProblem | None]:
    """Walk the whole chain; return (events checked, first problem or None)."""
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    last_id = 0
    while True:
        rows = db.session.execute(
            select(AuditEvent).where(AuditEvent.seq > last_id)
            .order_by(AuditEvent.seq).limit(batch_size)
        ).scalars().all()
        for event in rows:
            problem = _check_event(event, expected_seq, expected_prev)
            if problem:
                return checked, problem
            expected_prev, expected_seq, checked = event.hash, event.seq + 1, checked + 1
            last_id = event.seq
        if len(rows) < batch_size:
            break
    return checked, _check_head(expected_seq - 1, expected_prev)


def _check_event(event: AuditEvent, expected_seq: int, expected_prev: str):
    """Return the problem with one event, or None."""
    if event.seq != expected_seq:
        return ChainProblem(expected_seq, f"missing (next event found is {event.seq})")
    if event.prev_hash != expected_prev:
        return ChainProblem(event.seq, "does not follow the previous event (removed or reordered)")
    if event_hash(event) != event.hash:
        return ChainProblem(event.seq, "content was altered (hash does not match)")
    return None


def _check_head(last_seq: int, last_hash: str):
    """Compare the end of the chain with the head row."""
    head = db.session.get(AuditHead, HEAD_ID)
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS_HASH
    if head_seq != last_seq or head_hash != last_hash:
        return ChainProblem(last_seq + 1, f"missing: the chain should end at event {head_seq}")
    return None
