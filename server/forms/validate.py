"""Check one answer against its question: stable reason codes for sync."""

import math
import re

from server.forms.expr import evaluate
from server.forms.exprvalues import facility_field, is_number
from server.forms.vocab import REGIMES

MAX_TEXT = 10000
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")

# Every code validate_answer may return, in the order it checks them.
REASONS = (
    "unknown_question",   # no question with this id in the visit's form version
    "not_per_regime",     # a regime was given for a question asked once
    "regime_required",    # a per-regime question for a facility with regimes, without one
    "unknown_regime",     # not a regime, or one the facility does not hold
    "bad_type",           # the value is not of the question's type
    "unknown_choice",     # a choice question's value is not one of its choices
    "too_long",           # a text longer than MAX_TEXT characters
    "constraint_failed",  # outside the question's range or constraint expression
)


def validate_answer(question, value, regime=None, facility=None):
    """Return a reason code when an answer is unacceptable, else None."""
    if question is None:
        return "unknown_question"
    problem = _regime_problem(question, regime, facility)
    if problem or value is None:
        return problem
    return _type_problem(question, value) or _constraint_problem(question, value, facility)


def _regime_problem(question, regime, facility):
    if not question.per_regime:
        return "not_per_regime" if regime is not None else None
    if regime is not None and regime not in REGIMES:
        return "unknown_regime"
    if facility is None:
        return None
    held = facility_field(facility, "regimes") or []
    if regime is None:
        return "regime_required" if held else None
    return None if regime in held else "unknown_regime"


def _type_problem(question, value):
    kind = question.type
    if kind in ("integer", "decimal"):
        if not is_number(value) or not math.isfinite(value):
            return "bad_type"
        if kind == "integer" and not float(value).is_integer():
            return "bad_type"
        return None
    if kind == "boolean":
        return None if isinstance(value, bool) else "bad_type"
    if not isinstance(value, str):
        return "bad_type"
    if kind == "choice":
        return None if value in question.choice_values() else "unknown_choice"
    if kind == "photo":
        return None if _SHA256.match(value) else "bad_type"
    return "too_long" if len(value) > MAX_TEXT else None


def _constraint_problem(question, value, facility):
    c = question.constraint
    if c is None or (question.unlimited is not None and value == question.unlimited):
        return None
    if (c.min is not None and value < c.min) or (c.max is not None and value > c.max):
        return "constraint_failed"
    if c.expr is not None and not evaluate(c.expr, {}, facility, value):
        return "constraint_failed"
    return None
