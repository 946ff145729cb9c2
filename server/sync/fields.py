"""Write one last-writer-wins field of a visit and keep whatever it overwrote unseen."""

import uuid
from dataclasses import dataclass

from ..extensions import db
from ..models import SyncConflict, SyncField
from .context import APPLIED, Outcome, PushContext
from .hlc import is_skewed, parse_hlc
from .merge import Holder, Write, resolve


@dataclass
class FieldWrite:
    """The result of writing a field: did the write win, its clock, the conflicts kept."""

    won: bool
    clock: SyncField | None = None
    conflicts: tuple = ()

    def outcome(self) -> Outcome:
        """Return the operation outcome this write amounts to."""
        if not self.conflicts:
            return APPLIED
        return Outcome("conflict", self.conflicts[0].reason, self.conflicts[0].id)


def _text(value):
    """Return a UUID as text, None as None."""
    return None if value is None else str(value)


def _holder(data: dict) -> Holder:
    """Return a peer stored as JSON as a Holder."""
    return Holder(parse_hlc(data["hlc"]), data["device_id"], data.get("change_seq"),
                  {"author_id": data.get("author_id"), "op_id": data.get("op_id")})


def _holder_json(holder: Holder) -> dict:
    """Return a Holder as the JSON kept in SyncField.peers."""
    return {"hlc": str(holder.hlc), "device_id": holder.device_id,
            "change_seq": holder.change_seq, **holder.ref}


def _side(holder: Holder, value) -> dict:
    """Return one side of a conflict: a holder and the value it wrote."""
    return {"value": value, "hlc": str(holder.hlc), "device_id": holder.device_id,
            "author_id": holder.ref.get("author_id"), "op_id": holder.ref.get("op_id")}


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


def keep_conflict(ctx: PushContext, visit_id, field: str, reason: str, winner: dict,
                  loser: dict | None) -> SyncConflict:
    """Store a conflict for the chair and queue it as a change."""
    columns = {f"winner_{key}": value for key, value in winner.items()}
    for key, value in (loser or {}).items():
        columns[f"loser_{key}"] = value
    for key in [k for k in columns if k.endswith(("author_id", "op_id"))]:
        columns[key] = columns[key] and uuid.UUID(str(columns[key]))
    row = SyncConflict(id=uuid.uuid4(), visit_id=visit_id, field=field, reason=reason,
                       status="open", created_at=ctx.now, **columns)
    db.session.add(row)
    ctx.change(visit_id, "conflict", f"conflict:{row.id}", conflict_to_dict(row))
    return row


def _current(clock: SyncField | None) -> tuple:
    """Return a field's holder and peers."""
    if clock is None:
        return None, ()
    ref = {"author_id": _text(clock.author_id), "op_id": _text(clock.op_id)}
    holder = Holder(parse_hlc(clock.hlc), clock.device_id, clock.change_seq, ref)
    return holder, tuple(_holder(p) for p in clock.peers or ())


def write_field(ctx: PushContext, visit_id, field: str, value, current_value) -> FieldWrite:
    """Apply the current operation's write to a field by last-writer-wins."""
    clock = ctx.clock(visit_id, field)
    if clock is None and not is_skewed(ctx.hlc, ctx.server_ms):
        return FieldWrite(True, ctx.stamp_clock(visit_id, field))  # a new field: it wins
    holder, peers = _current(clock)
    ref = {"author_id": str(ctx.user.id), "op_id": str(ctx.op["op_id"])}
    write = Write(ctx.hlc, ctx.device_id, ctx.fields.get("base"), value, ref)
    decision = resolve(holder, peers, current_value, write)
    mine = _side(write.as_holder(), value)
    kept = []
    if decision.write_lost:
        kept.append(keep_conflict(ctx, visit_id, field, "concurrent_edit",
                                  _side(holder, current_value), mine))
    elif decision.wins and is_skewed(ctx.hlc, ctx.server_ms) and not ctx.review:
        first = _side(decision.lost[0], current_value) if decision.lost else None
        kept.append(keep_conflict(ctx, visit_id, field, "clock_skew", mine, first))
        kept += [keep_conflict(ctx, visit_id, field, "concurrent_edit", mine,
                               _side(h, current_value)) for h in decision.lost[1:]]
    else:
        kept += [keep_conflict(ctx, visit_id, field, "concurrent_edit", mine,
                               _side(h, current_value)) for h in decision.lost]
    if not decision.wins:
        if clock is not None:
            clock.peers = [_holder_json(p) for p in decision.peers]
        return FieldWrite(False, None, tuple(kept))
    clock = ctx.stamp_clock(visit_id, field)
    clock.peers = [_holder_json(p) for p in decision.peers]
    return FieldWrite(True, clock, tuple(kept))
