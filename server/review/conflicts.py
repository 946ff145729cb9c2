"""Settle a conflict: the chair picks a side or enters a value, with a reason, as an operation."""

import uuid

from sqlalchemy import select

from ..audit import append_event
from ..catalogue import form_of
from ..errors import APIError
from ..extensions import db
from ..models import ConflictResolution, SyncConflict, Visit, utcnow
from ..scope import review_or_404
from ..sync.changes import PendingChange, record_changes
from ..sync.fields import conflict_to_dict
from .device import apply_review_op, lock_review_device

CHOICES = ("winner", "loser", "value")
VISIT_FIELDS = ("started_at", "ended_at", "team")


def parse_field(field: str) -> tuple:
    """Return ("answer", question_id, regime) or ("visit", name, None) for a field name."""
    kind, _, rest = field.partition(":")
    if kind == "answer":
        question_id, _, regime = rest.rpartition(":")
        return "answer", question_id, regime
    return "visit", rest, None


def _chosen(conflict: SyncConflict, choice: str, value):
    """Return the value a choice stands for."""
    if choice == "winner":
        return conflict.winner_value
    if choice == "loser":
        if conflict.loser_hlc is None:
            raise APIError(422, "invalid_fields", "This conflict has a single value.",
                           {"choice": ["choose winner or enter a value"]})
        return conflict.loser_value
    return value


def _answer_op(visit: Visit, question_id: str, regime: str, value, base: int) -> dict:
    """Return the operation writing an answer (a clear for no value)."""
    return {"type": "answer.clear" if value is None else "answer.set", "visit_id": str(visit.id),
            "question_id": question_id, "regime": regime or None, "value": value, "base": base}


def _visit_op(visit: Visit, name: str, value, base: int) -> dict:
    """Return the visit.upsert writing one of the visit's own fields."""
    form = visit.form_version
    body = {"facility_id": str(visit.facility_id), "form_id": form.form_id,
            "form_version": form.version, "started_at": visit.started_at.isoformat()}
    body[name] = value
    return {"type": "visit.upsert", "visit_id": str(visit.id), "value": body, "base": base}


def _operation(visit: Visit, conflict: SyncConflict, choice: str, value, base: int) -> dict:
    """Return the operation that writes the chosen value into the conflict's field."""
    kind, name, regime = parse_field(conflict.field)
    if kind == "answer":
        return _answer_op(visit, name, regime, value, base)
    if choice == "value" or name not in VISIT_FIELDS or value is None:
        raise APIError(422, "invalid_fields", "A visit's own field takes one of the two values.",
                       {"choice": ["choose winner or loser"]})
    return _visit_op(visit, name, value, base)


def _conflict(user, conflict_id) -> SyncConflict:
    """Return an open conflict the user may settle (404 out of scope, 409 when settled)."""
    conflict = review_or_404(user, SyncConflict, conflict_id, "conflict")
    if conflict.status != "open":
        raise APIError(409, "conflict_resolved", "This conflict was already resolved.")
    return conflict


def resolve_conflict(user, conflict_id, choice: str, reason: str, cursor: int,
                     value=None) -> ConflictResolution:
    """Write the chosen value through the push path (base = cursor), mark the conflict settled.

    Locks in the sync order: the chair's device, the visit, the audit head, the change counter.
    """
    found = _conflict(user, conflict_id)
    device = lock_review_device(user)
    conflict = db.session.execute(select(SyncConflict).where(SyncConflict.id == found.id)
                                  .execution_options(populate_existing=True)).scalar_one()
    visit = review_or_404(user, Visit, conflict.visit_id, "visit")
    if conflict.status != "open":
        raise APIError(409, "conflict_resolved", "This conflict was already resolved.")
    chosen = _chosen(conflict, choice, value)
    op = {**_operation(visit, conflict, choice, chosen, cursor), "op_id": str(uuid.uuid4())}
    append_event("conflict_resolved", actor=user, target_type="visit", target_id=visit.id,
                 data={"conflict_id": str(conflict.id), "field": conflict.field,
                       "choice": choice, "value": chosen, "reason": reason,
                       "op_id": op["op_id"], "base": cursor})
    apply_review_op(user, device, op, conflict.field)
    return _settle(user, visit, conflict, choice, chosen, reason, uuid.UUID(op["op_id"]))


def _settle(user, visit, conflict, choice, chosen, reason, op_id) -> ConflictResolution:
    """Mark a conflict resolved, keep how, and queue the change so tablets learn it."""
    now = utcnow()
    conflict.status, conflict.resolved_at, conflict.resolved_by_id = "resolved", now, user.id
    row = ConflictResolution(conflict_id=conflict.id, visit_id=visit.id, choice=choice,
                             value=chosen, reason=reason, op_id=op_id, resolved_by_id=user.id,
                             resolved_at=now)
    db.session.add(row)
    db.session.flush()
    data = {**conflict_to_dict(conflict), "resolution": resolution_to_dict(row)}
    record_changes([PendingChange(visit_id=visit.id, entity="conflict",
                                  key=f"conflict:{conflict.id}", data=data, op_id=op_id,
                                  author_id=user.id)])
    return row


def resolution_to_dict(row: ConflictResolution) -> dict:
    """Return how a conflict was settled, as the API and the change log show it."""
    return {"choice": row.choice, "value": row.value, "reason": row.reason,
            "op_id": str(row.op_id) if row.op_id else None,
            "resolved_by_id": str(row.resolved_by_id), "resolved_at": row.resolved_at.isoformat()}


def question_of(visit: Visit, field: str):
    """Return the question an answer field names, or None."""
    kind, question_id, _regime = parse_field(field)
    form = form_of(visit)
    return form.question(question_id) if kind == "answer" and form else None
