"""Check one operation against its type's schema and hand it to its applier."""

import json

from marshmallow import ValidationError

from .content import add_note, attach_photo, clear_answer, write_answer
from .context import Outcome, PushContext, rejected
from .schemas import OP_FIELDS
from .visits import submit_visit, upsert_visit

MAX_VALUE_CHARS = 16384  # an operation's value, serialised; more is rejected value_too_large
APPLIERS = {
    "visit.submit": submit_visit,
    "answer.set": write_answer,
    "answer.clear": clear_answer,
    "note.add": add_note,
    "photo.attach": attach_photo,
}
CHECKED = ("type", "visit_id", "question_id", "regime", "value", "hlc", "base")


def has_nul(value) -> bool:
    """Tell whether any string in a JSON value contains U+0000 (no database stores it)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(item) for item in value)
    return False


def _precheck(op: dict) -> Outcome | None:
    """Reject what no applier should see: unknown types, NUL characters, huge values."""
    kind = op.get("type")
    if not isinstance(kind, str) or kind not in OP_FIELDS:
        return rejected("unknown_op_type")
    if has_nul([op.get(name) for name in CHECKED]):
        return rejected("nul_character")
    if len(json.dumps(op.get("value"), ensure_ascii=False)) > MAX_VALUE_CHARS:
        return rejected("value_too_large")
    return None


def dispatch(ctx: PushContext, op: dict) -> Outcome:
    """Validate an operation and apply it; never raise for bad content, reject it instead."""
    ctx.start(op)
    problem = _precheck(op)
    if problem:
        return problem
    kind = op["type"]
    present = {name: op[name] for name in CHECKED[1:] if op.get(name) is not None}
    try:
        fields = OP_FIELDS[kind].load(present)
    except ValidationError as error:
        return rejected("invalid_op", error.messages)
    ctx.checked(fields)
    if kind == "visit.upsert":
        return upsert_visit(ctx, fields)
    visit = ctx.visits.get(fields["visit_id"])
    if visit is None:
        return rejected("out_of_scope")
    if ctx.locked(visit):
        return rejected("visit_locked")
    return APPLIERS[kind](ctx, visit, fields)
