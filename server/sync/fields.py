"""Write one last-writer-wins field of a visit and keep whatever lost as a conflict."""

import uuid
from dataclasses import dataclass

from ..extensions import db
from ..models import SyncConflict, SyncField
from .context import APPLIED, Outcome, PushContext
from .hlc import is_skewed, parse_hlc
from .merge import Clock, Write, resolve, same_value


@dataclass
class FieldWrite:
    """The result of writing a field: did the write win, its clock, any conflict kept."""

    won: bool
    clock: SyncField | None = None
    conflict: SyncConflict | None = None

    def outcome(self) -> Outcome:
        """Return the operation outcome this write amounts to."""
        if self.conflict is None:
            return APPLIED
        return Outcome("conflict", self.conflict.reason, self.conflict.id)


def _side(prefix: str, value, hlc, device_id, author_id, op_id) -> dict:
    """Return one side of a conflict as column values."""
    return {f"{prefix}_value": value, f"{prefix}_hlc": hlc, f"{prefix}_device_id": device_id,
            f"{prefix}_author_id": author_id, f"{prefix}_op_id": op_id}


def _incoming(ctx: PushContext, value) -> dict:
    """Return the current operation's side of a conflict."""
    return {"value": value, "hlc": ctx.fields["hlc"], "device_id": ctx.device_id,
            "author_id": ctx.user.id, "op_id": ctx.op["op_id"]}


def _existing(clock: SyncField, value) -> dict:
    """Return the stored value's side of a conflict."""
    return {"value": value, "hlc": clock.hlc, "device_id": clock.device_id,
            "author_id": clock.author_id, "op_id": clock.op_id}


def conflict_to_dict(row: SyncConflict) -> dict:
    """Return a conflict as the API and the change log show it."""
    def side(prefix):
        if getattr(row, f"{prefix}_hlc") is None:
            return None
        return {"value": getattr(row, f"{prefix}_value"), "hlc": getattr(row, f"{prefix}_hlc"),
                "device_id": getattr(row, f"{prefix}_device_id"),
                "author_id": _text(getattr(row, f"{prefix}_author_id")),
                "op_id": _text(getattr(row, f"{prefix}_op_id"))}
    return {"id": str(row.id), "visit_id": str(row.visit_id), "field": row.field,
            "reason": row.reason, "status": row.status, "winner": side("winner"),
            "loser": side("loser"), "created_at": row.created_at.isoformat()}


def _text(value):
    """Return a UUID as text, None as None."""
    return None if value is None else str(value)


def keep_conflict(ctx: PushContext, visit_id, field: str, reason: str, winner: dict,
                  loser: dict | None) -> SyncConflict:
    """Store a conflict for the chair and queue it as a change."""
    columns = _side("winner", **winner)
    if loser is not None:
        columns.update(_side("loser", **loser))
    row = SyncConflict(id=uuid.uuid4(), visit_id=visit_id, field=field, reason=reason,
                       status="open", created_at=ctx.now, **columns)
    db.session.add(row)
    ctx.change(visit_id, "conflict", f"conflict:{row.id}", conflict_to_dict(row))
    return row


def write_field(ctx: PushContext, visit_id, field: str, value, current_value) -> FieldWrite:
    """Apply the current operation's write to a field by last-writer-wins."""
    clock = ctx.clock(visit_id, field)
    current = None
    if clock is not None:
        current = Clock(parse_hlc(clock.hlc), clock.device_id, clock.change_seq)
    write = Write(ctx.hlc, ctx.device_id, ctx.fields.get("base"), value)
    decision = resolve(current, current_value, write)
    conflict = None
    if decision.wins and is_skewed(ctx.hlc, ctx.server_ms):
        overwritten = clock is not None and clock.device_id != ctx.device_id \
            and not same_value(value, current_value)
        loser = _existing(clock, current_value) if overwritten else None
        conflict = keep_conflict(ctx, visit_id, field, "clock_skew", _incoming(ctx, value), loser)
    elif decision.loser == "current":
        conflict = keep_conflict(ctx, visit_id, field, "concurrent_edit", _incoming(ctx, value),
                                 _existing(clock, current_value))
    elif decision.loser == "write":
        conflict = keep_conflict(ctx, visit_id, field, "concurrent_edit",
                                 _existing(clock, current_value), _incoming(ctx, value))
    if not decision.wins:
        return FieldWrite(False, None, conflict)
    return FieldWrite(True, ctx.stamp_clock(visit_id, field), conflict)
