"""Judge one value against one rule's comparison and threshold."""

import math

from server.forms.exprvalues import is_number

_ORDER = {
    ">=": lambda v, t: v >= t,
    ">": lambda v, t: v > t,
    "<=": lambda v, t: v <= t,
    "<": lambda v, t: v < t,
    "==": lambda v, t: v == t,
    "!=": lambda v, t: v != t,
}


def judge(comparison, value, threshold, unlimited=None):
    """Return met, not_met or not_assessed for a value (threshold in the value's unit).

    A question's `unlimited` value (e.g. -1 = not limited) counts as infinitely large:
    it meets >= and >, fails <= and <, and alone meets is_unlimited.
    """
    if value is None:
        return "not_assessed"
    if comparison in ("is_true", "is_false"):
        if not isinstance(value, bool):
            return "not_assessed"
        return "met" if value is (comparison == "is_true") else "not_met"
    if not is_number(value):
        return "not_assessed"
    is_unlimited = unlimited is not None and value == unlimited
    if comparison == "is_unlimited":
        return "met" if is_unlimited else "not_met"
    if is_unlimited:
        value = math.inf
    return "met" if _ORDER[comparison](value, threshold) else "not_met"
